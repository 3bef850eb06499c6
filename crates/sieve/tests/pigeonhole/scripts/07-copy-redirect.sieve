require ["copy", "fileinto", "imap4flags"];
if address :domain :is "from" "example.com" {
    redirect :copy "archive@example.net";
    fileinto :copy :flags "\\Seen" "Seen-copies";
}
if header :contains "Subject" "forward" {
    redirect "alice@elsewhere.example";
}
