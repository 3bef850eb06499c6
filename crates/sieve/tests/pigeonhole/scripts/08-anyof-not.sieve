require ["fileinto"];
if anyof (not exists "Message-ID", header :is "X-Spam-Flag" "YES") {
    fileinto "Junk";
} elsif allof (address :localpart :is "to" "alice", not header :contains "Subject" ["sale", "offer"]) {
    fileinto "Personal";
} else {
    discard;
}
