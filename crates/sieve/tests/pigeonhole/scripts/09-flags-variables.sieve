require ["fileinto", "imap4flags", "variables"];
set "tags" "";
if header :contains "Subject" "report" { addflag "tags" "$Report"; }
if header :contains "From" "boss" { addflag "tags" ["$Boss", "\\Flagged"]; }
if hasflag :contains "tags" "Boss" {
    fileinto :flags "${tags}" "Boss";
}
addflag "${tags}";
