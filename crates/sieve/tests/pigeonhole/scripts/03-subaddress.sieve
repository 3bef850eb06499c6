require ["fileinto", "envelope", "subaddress", "variables"];
if envelope :detail "to" "*" {
    if envelope :matches :detail "to" "*" { set "detail" "${1}"; }
    if string :is "${detail}" "" { fileinto "plus-empty"; stop; }
    fileinto "plus.${detail}";
} elsif envelope :user "to" "postmaster" {
    fileinto "admin";
}
