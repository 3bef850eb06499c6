require ["fileinto", "variables"];
# File list traffic by List-Id.
if header :matches "List-Id" "*<*.*>*" {
    fileinto "lists.${2}";
    stop;
}
if header :contains "Subject" "invoice" {
    fileinto "Finance";
}
