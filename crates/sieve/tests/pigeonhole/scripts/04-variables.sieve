require ["fileinto", "variables", "relational", "comparator-i;ascii-numeric"];
set "folder" "Archive";
if header :matches "From" "*@*" {
    set :lower "domain" "${2}";
    set :upperfirst "who" "${1}";
}
if header :matches "Subject" "[*] *" {
    set :lower :upperfirst "tag" "${1}";
    fileinto "${folder}.${tag}";
}
if string :matches "${domain}" "*example.com*" {
    fileinto "${folder}.${who}";
}
set :length "len" "${domain}";
if string :value "gt" :comparator "i;ascii-numeric" "${len}" "11" {
    fileinto "long-domains";
}
