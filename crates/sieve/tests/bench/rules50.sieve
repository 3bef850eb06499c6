# 50 rules: list filing, senders, subject flags, subaddress details, variables.
require ["fileinto", "imap4flags", "variables", "envelope", "subaddress", "relational", "comparator-i;ascii-numeric", "copy"];
if header :contains "List-Id" "<rust-users." { fileinto "lists.rust-users"; stop; }
if header :contains "List-Id" "<dovecot." { fileinto "lists.dovecot"; stop; }
if header :contains "List-Id" "<postfix-users." { fileinto "lists.postfix-users"; stop; }
if header :contains "List-Id" "<ietf-smtp." { fileinto "lists.ietf-smtp"; stop; }
if header :contains "List-Id" "<debian-devel." { fileinto "lists.debian-devel"; stop; }
if header :contains "List-Id" "<lkml." { fileinto "lists.lkml"; stop; }
if header :contains "List-Id" "<git." { fileinto "lists.git"; stop; }
if header :contains "List-Id" "<python-dev." { fileinto "lists.python-dev"; stop; }
if header :contains "List-Id" "<openbsd-misc." { fileinto "lists.openbsd-misc"; stop; }
if header :contains "List-Id" "<freebsd-net." { fileinto "lists.freebsd-net"; stop; }
if address :domain :is "from" "bank.example" { addflag "$Service"; fileinto "services.bank"; }
if address :domain :is "from" "shop.example" { addflag "$Service"; fileinto "services.shop"; }
if address :domain :is "from" "airline.example" { addflag "$Service"; fileinto "services.airline"; }
if address :domain :is "from" "tax.example" { addflag "$Service"; fileinto "services.tax"; }
if address :domain :is "from" "school.example" { addflag "$Service"; fileinto "services.school"; }
if address :domain :is "from" "clinic.example" { addflag "$Service"; fileinto "services.clinic"; }
if address :domain :is "from" "gym.example" { addflag "$Service"; fileinto "services.gym"; }
if address :domain :is "from" "isp.example" { addflag "$Service"; fileinto "services.isp"; }
if address :domain :is "from" "phone.example" { addflag "$Service"; fileinto "services.phone"; }
if address :domain :is "from" "energy.example" { addflag "$Service"; fileinto "services.energy"; }
if header :matches "subject" "*invoice*" { addflag "$Invoice"; }
if header :matches "subject" "*receipt*" { addflag "$Receipt"; }
if header :matches "subject" "*password*" { addflag "$Password"; }
if header :matches "subject" "*meeting*" { addflag "$Meeting"; }
if header :matches "subject" "*urgent*" { addflag "$Urgent"; }
if header :matches "subject" "*newsletter*" { addflag "$Newsletter"; }
if header :matches "subject" "*offer*" { addflag "$Offer"; }
if header :matches "subject" "*winner*" { addflag "$Winner"; }
if header :matches "subject" "*delivery*" { addflag "$Delivery"; }
if header :matches "subject" "*report*" { addflag "$Report"; }
if envelope :detail "to" "shop" { fileinto "plus.shop"; }
if envelope :detail "to" "lists" { fileinto "plus.lists"; }
if envelope :detail "to" "travel" { fileinto "plus.travel"; }
if envelope :detail "to" "bills" { fileinto "plus.bills"; }
if envelope :detail "to" "social" { fileinto "plus.social"; }
if header :matches "Subject" "[*] *" { set "tag" "${1}"; }
if string :is "${tag}" "" {} else { addflag "$Tagged"; }
if header :value "lt" :comparator "i;ascii-numeric" "X-Priority" "3" { addflag "\\Flagged"; }
if size :over 100K { fileinto "big"; }
if exists "X-Spam-Flag" { fileinto "Junk"; stop; }
if address :localpart :is "from" ["noreply", "no-reply", "donotreply"] { addflag "$NoReply"; }
if header :contains "Precedence" ["bulk", "list"] { addflag "$Bulk"; }
if anyof (header :contains "X-Mailer" "Outlook", header :contains "User-Agent" "Thunderbird") { addflag "$Desktop"; }
if allof (address :is "to" "alice@example.org", not exists "Cc") { addflag "$Direct"; }
if header :matches "From" "*<*@*>" { set "name" "${1}"; }
if address :count "ge" :comparator "i;ascii-numeric" ["to", "cc"] "5" { fileinto "crowd"; }
if header :contains "Auto-Submitted" "auto" { fileinto :copy "auto"; }
if header :is "X-Loop" "alice@example.org" { discard; stop; }
if address :domain :matches "from" "*.gov" { addflag "$Gov"; }
if header :contains "subject" "unsubscribe" { fileinto "Junk"; }
