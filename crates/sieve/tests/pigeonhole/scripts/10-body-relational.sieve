require ["fileinto", "body", "relational", "comparator-i;ascii-numeric"];
if body :text :contains "unsubscribe" {
    fileinto "Newsletters";
}
if address :count "ge" :comparator "i;ascii-numeric" ["to", "cc"] "3" {
    fileinto "Crowd";
}
if header :value "lt" :comparator "i;ascii-numeric" "X-Priority" "3" {
    fileinto "Important";
}
