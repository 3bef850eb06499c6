require ["vacation", "variables", "envelope", "subaddress"];
if envelope :detail "to" "shop" { stop; }
if header :matches "Subject" "*" { set "subject" "${1}"; }
vacation :days 1 :subject "Re: ${subject}" :handle "holiday" "Away: ${subject}";
