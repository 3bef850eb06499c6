require ["fileinto", "imap4flags"];
if header :contains "From" "boss" {
    addflag "\\Flagged";
}
if size :over 2K {
    addflag "$Big";
}
if header :contains "Subject" "money" {
    setflag ["\\Seen", "$Junk"];
    fileinto "Junk";
    removeflag "$Junk";
}
keep;
