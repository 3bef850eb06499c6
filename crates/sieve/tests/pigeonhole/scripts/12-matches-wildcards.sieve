require ["fileinto", "variables"];
if address :matches "From" "*+*@*" {
    fileinto "tagged.${2}";
}
if header :matches "Subject" "*?y *" {
    fileinto "three.${1}${2}${3}";
}
if header :matches "Subject" "*\\**" {
    fileinto "star";
}
