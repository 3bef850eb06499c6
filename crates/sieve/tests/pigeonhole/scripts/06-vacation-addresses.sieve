require ["vacation", "fileinto"];
if header :contains "Subject" "urgent" {
    fileinto "Urgent";
}
vacation :days 10 :addresses ["alice@old.example.org", "a.smith@example.org"] :subject "Away" "Back soon.";
