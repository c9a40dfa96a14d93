#include "model/countries.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace vigil {
namespace {

struct Row {
  std::string_view alpha2;
  std::string_view alpha3;
  std::string_view name;
  std::string_view official;
  std::string_view common;
};

// ISO 3166-1 (the Debian iso-codes edition), ordered by alpha-3.
constexpr Row kIso[] = {
    {"AW", "ABW", "Aruba", "", ""},
    {"AF", "AFG", "Afghanistan", "Islamic Republic of Afghanistan", ""},
    {"AO", "AGO", "Angola", "Republic of Angola", ""},
    {"AI", "AIA", "Anguilla", "", ""},
    {"AX", "ALA", "Åland Islands", "", ""},
    {"AL", "ALB", "Albania", "Republic of Albania", ""},
    {"AD", "AND", "Andorra", "Principality of Andorra", ""},
    {"AE", "ARE", "United Arab Emirates", "", ""},
    {"AR", "ARG", "Argentina", "Argentine Republic", ""},
    {"AM", "ARM", "Armenia", "Republic of Armenia", ""},
    {"AS", "ASM", "American Samoa", "", ""},
    {"AQ", "ATA", "Antarctica", "", ""},
    {"TF", "ATF", "French Southern Territories", "", ""},
    {"AG", "ATG", "Antigua and Barbuda", "", ""},
    {"AU", "AUS", "Australia", "", ""},
    {"AT", "AUT", "Austria", "Republic of Austria", ""},
    {"AZ", "AZE", "Azerbaijan", "Republic of Azerbaijan", ""},
    {"BI", "BDI", "Burundi", "Republic of Burundi", ""},
    {"BE", "BEL", "Belgium", "Kingdom of Belgium", ""},
    {"BJ", "BEN", "Benin", "Republic of Benin", ""},
    {"BQ", "BES", "Bonaire, Sint Eustatius and Saba", "Bonaire, Sint Eustatius and Saba", ""},
    {"BF", "BFA", "Burkina Faso", "", ""},
    {"BD", "BGD", "Bangladesh", "People's Republic of Bangladesh", ""},
    {"BG", "BGR", "Bulgaria", "Republic of Bulgaria", ""},
    {"BH", "BHR", "Bahrain", "Kingdom of Bahrain", ""},
    {"BS", "BHS", "Bahamas", "Commonwealth of the Bahamas", ""},
    {"BA", "BIH", "Bosnia and Herzegovina", "Republic of Bosnia and Herzegovina", ""},
    {"BL", "BLM", "Saint Barthélemy", "", ""},
    {"BY", "BLR", "Belarus", "Republic of Belarus", ""},
    {"BZ", "BLZ", "Belize", "", ""},
    {"BM", "BMU", "Bermuda", "", ""},
    {"BO", "BOL", "Bolivia, Plurinational State of", "Plurinational State of Bolivia", "Bolivia"},
    {"BR", "BRA", "Brazil", "Federative Republic of Brazil", ""},
    {"BB", "BRB", "Barbados", "", ""},
    {"BN", "BRN", "Brunei Darussalam", "", ""},
    {"BT", "BTN", "Bhutan", "Kingdom of Bhutan", ""},
    {"BV", "BVT", "Bouvet Island", "", ""},
    {"BW", "BWA", "Botswana", "Republic of Botswana", ""},
    {"CF", "CAF", "Central African Republic", "", ""},
    {"CA", "CAN", "Canada", "", ""},
    {"CC", "CCK", "Cocos (Keeling) Islands", "", ""},
    {"CH", "CHE", "Switzerland", "Swiss Confederation", ""},
    {"CL", "CHL", "Chile", "Republic of Chile", ""},
    {"CN", "CHN", "China", "People's Republic of China", ""},
    {"CI", "CIV", "Côte d'Ivoire", "Republic of Côte d'Ivoire", ""},
    {"CM", "CMR", "Cameroon", "Republic of Cameroon", ""},
    {"CD", "COD", "Congo, The Democratic Republic of the", "", ""},
    {"CG", "COG", "Congo", "Republic of the Congo", ""},
    {"CK", "COK", "Cook Islands", "", ""},
    {"CO", "COL", "Colombia", "Republic of Colombia", ""},
    {"KM", "COM", "Comoros", "Union of the Comoros", ""},
    {"CV", "CPV", "Cabo Verde", "Republic of Cabo Verde", ""},
    {"CR", "CRI", "Costa Rica", "Republic of Costa Rica", ""},
    {"CU", "CUB", "Cuba", "Republic of Cuba", ""},
    {"CW", "CUW", "Curaçao", "Curaçao", ""},
    {"CX", "CXR", "Christmas Island", "", ""},
    {"KY", "CYM", "Cayman Islands", "", ""},
    {"CY", "CYP", "Cyprus", "Republic of Cyprus", ""},
    {"CZ", "CZE", "Czechia", "Czech Republic", ""},
    {"DE", "DEU", "Germany", "Federal Republic of Germany", ""},
    {"DJ", "DJI", "Djibouti", "Republic of Djibouti", ""},
    {"DM", "DMA", "Dominica", "Commonwealth of Dominica", ""},
    {"DK", "DNK", "Denmark", "Kingdom of Denmark", ""},
    {"DO", "DOM", "Dominican Republic", "", ""},
    {"DZ", "DZA", "Algeria", "People's Democratic Republic of Algeria", ""},
    {"EC", "ECU", "Ecuador", "Republic of Ecuador", ""},
    {"EG", "EGY", "Egypt", "Arab Republic of Egypt", ""},
    {"ER", "ERI", "Eritrea", "the State of Eritrea", ""},
    {"EH", "ESH", "Western Sahara", "", ""},
    {"ES", "ESP", "Spain", "Kingdom of Spain", ""},
    {"EE", "EST", "Estonia", "Republic of Estonia", ""},
    {"ET", "ETH", "Ethiopia", "Federal Democratic Republic of Ethiopia", ""},
    {"FI", "FIN", "Finland", "Republic of Finland", ""},
    {"FJ", "FJI", "Fiji", "Republic of Fiji", ""},
    {"FK", "FLK", "Falkland Islands (Malvinas)", "", ""},
    {"FR", "FRA", "France", "French Republic", ""},
    {"FO", "FRO", "Faroe Islands", "", ""},
    {"FM", "FSM", "Micronesia, Federated States of", "Federated States of Micronesia", ""},
    {"GA", "GAB", "Gabon", "Gabonese Republic", ""},
    {"GB", "GBR", "United Kingdom", "United Kingdom of Great Britain and Northern Ireland", ""},
    {"GE", "GEO", "Georgia", "", ""},
    {"GG", "GGY", "Guernsey", "", ""},
    {"GH", "GHA", "Ghana", "Republic of Ghana", ""},
    {"GI", "GIB", "Gibraltar", "", ""},
    {"GN", "GIN", "Guinea", "Republic of Guinea", ""},
    {"GP", "GLP", "Guadeloupe", "", ""},
    {"GM", "GMB", "Gambia", "Republic of the Gambia", ""},
    {"GW", "GNB", "Guinea-Bissau", "Republic of Guinea-Bissau", ""},
    {"GQ", "GNQ", "Equatorial Guinea", "Republic of Equatorial Guinea", ""},
    {"GR", "GRC", "Greece", "Hellenic Republic", ""},
    {"GD", "GRD", "Grenada", "", ""},
    {"GL", "GRL", "Greenland", "", ""},
    {"GT", "GTM", "Guatemala", "Republic of Guatemala", ""},
    {"GF", "GUF", "French Guiana", "", ""},
    {"GU", "GUM", "Guam", "", ""},
    {"GY", "GUY", "Guyana", "Republic of Guyana", ""},
    {"HK", "HKG", "Hong Kong", "Hong Kong Special Administrative Region of China", ""},
    {"HM", "HMD", "Heard Island and McDonald Islands", "", ""},
    {"HN", "HND", "Honduras", "Republic of Honduras", ""},
    {"HR", "HRV", "Croatia", "Republic of Croatia", ""},
    {"HT", "HTI", "Haiti", "Republic of Haiti", ""},
    {"HU", "HUN", "Hungary", "Hungary", ""},
    {"ID", "IDN", "Indonesia", "Republic of Indonesia", ""},
    {"IM", "IMN", "Isle of Man", "", ""},
    {"IN", "IND", "India", "Republic of India", ""},
    {"IO", "IOT", "British Indian Ocean Territory", "", ""},
    {"IE", "IRL", "Ireland", "", ""},
    {"IR", "IRN", "Iran, Islamic Republic of", "Islamic Republic of Iran", "Iran"},
    {"IQ", "IRQ", "Iraq", "Republic of Iraq", ""},
    {"IS", "ISL", "Iceland", "Republic of Iceland", ""},
    {"IL", "ISR", "Israel", "State of Israel", ""},
    {"IT", "ITA", "Italy", "Italian Republic", ""},
    {"JM", "JAM", "Jamaica", "", ""},
    {"JE", "JEY", "Jersey", "", ""},
    {"JO", "JOR", "Jordan", "Hashemite Kingdom of Jordan", ""},
    {"JP", "JPN", "Japan", "", ""},
    {"KZ", "KAZ", "Kazakhstan", "Republic of Kazakhstan", ""},
    {"KE", "KEN", "Kenya", "Republic of Kenya", ""},
    {"KG", "KGZ", "Kyrgyzstan", "Kyrgyz Republic", ""},
    {"KH", "KHM", "Cambodia", "Kingdom of Cambodia", ""},
    {"KI", "KIR", "Kiribati", "Republic of Kiribati", ""},
    {"KN", "KNA", "Saint Kitts and Nevis", "", ""},
    {"KR", "KOR", "Korea, Republic of", "", "South Korea"},
    {"KW", "KWT", "Kuwait", "State of Kuwait", ""},
    {"LA", "LAO", "Lao People's Democratic Republic", "", "Laos"},
    {"LB", "LBN", "Lebanon", "Lebanese Republic", ""},
    {"LR", "LBR", "Liberia", "Republic of Liberia", ""},
    {"LY", "LBY", "Libya", "Libya", ""},
    {"LC", "LCA", "Saint Lucia", "", ""},
    {"LI", "LIE", "Liechtenstein", "Principality of Liechtenstein", ""},
    {"LK", "LKA", "Sri Lanka", "Democratic Socialist Republic of Sri Lanka", ""},
    {"LS", "LSO", "Lesotho", "Kingdom of Lesotho", ""},
    {"LT", "LTU", "Lithuania", "Republic of Lithuania", ""},
    {"LU", "LUX", "Luxembourg", "Grand Duchy of Luxembourg", ""},
    {"LV", "LVA", "Latvia", "Republic of Latvia", ""},
    {"MO", "MAC", "Macao", "Macao Special Administrative Region of China", ""},
    {"MF", "MAF", "Saint Martin (French part)", "", ""},
    {"MA", "MAR", "Morocco", "Kingdom of Morocco", ""},
    {"MC", "MCO", "Monaco", "Principality of Monaco", ""},
    {"MD", "MDA", "Moldova, Republic of", "Republic of Moldova", "Moldova"},
    {"MG", "MDG", "Madagascar", "Republic of Madagascar", ""},
    {"MV", "MDV", "Maldives", "Republic of Maldives", ""},
    {"MX", "MEX", "Mexico", "United Mexican States", ""},
    {"MH", "MHL", "Marshall Islands", "Republic of the Marshall Islands", ""},
    {"MK", "MKD", "North Macedonia", "Republic of North Macedonia", ""},
    {"ML", "MLI", "Mali", "Republic of Mali", ""},
    {"MT", "MLT", "Malta", "Republic of Malta", ""},
    {"MM", "MMR", "Myanmar", "Republic of Myanmar", ""},
    {"ME", "MNE", "Montenegro", "Montenegro", ""},
    {"MN", "MNG", "Mongolia", "", ""},
    {"MP", "MNP", "Northern Mariana Islands", "Commonwealth of the Northern Mariana Islands", ""},
    {"MZ", "MOZ", "Mozambique", "Republic of Mozambique", ""},
    {"MR", "MRT", "Mauritania", "Islamic Republic of Mauritania", ""},
    {"MS", "MSR", "Montserrat", "", ""},
    {"MQ", "MTQ", "Martinique", "", ""},
    {"MU", "MUS", "Mauritius", "Republic of Mauritius", ""},
    {"MW", "MWI", "Malawi", "Republic of Malawi", ""},
    {"MY", "MYS", "Malaysia", "", ""},
    {"YT", "MYT", "Mayotte", "", ""},
    {"NA", "NAM", "Namibia", "Republic of Namibia", ""},
    {"NC", "NCL", "New Caledonia", "", ""},
    {"NE", "NER", "Niger", "Republic of the Niger", ""},
    {"NF", "NFK", "Norfolk Island", "", ""},
    {"NG", "NGA", "Nigeria", "Federal Republic of Nigeria", ""},
    {"NI", "NIC", "Nicaragua", "Republic of Nicaragua", ""},
    {"NU", "NIU", "Niue", "Niue", ""},
    {"NL", "NLD", "Netherlands", "Kingdom of the Netherlands", ""},
    {"NO", "NOR", "Norway", "Kingdom of Norway", ""},
    {"NP", "NPL", "Nepal", "Federal Democratic Republic of Nepal", ""},
    {"NR", "NRU", "Nauru", "Republic of Nauru", ""},
    {"NZ", "NZL", "New Zealand", "", ""},
    {"OM", "OMN", "Oman", "Sultanate of Oman", ""},
    {"PK", "PAK", "Pakistan", "Islamic Republic of Pakistan", ""},
    {"PA", "PAN", "Panama", "Republic of Panama", ""},
    {"PN", "PCN", "Pitcairn", "", ""},
    {"PE", "PER", "Peru", "Republic of Peru", ""},
    {"PH", "PHL", "Philippines", "Republic of the Philippines", ""},
    {"PW", "PLW", "Palau", "Republic of Palau", ""},
    {"PG", "PNG", "Papua New Guinea", "Independent State of Papua New Guinea", ""},
    {"PL", "POL", "Poland", "Republic of Poland", ""},
    {"PR", "PRI", "Puerto Rico", "", ""},
    {"KP", "PRK", "Korea, Democratic People's Republic of", "Democratic People's Republic of Korea",
     "North Korea"},
    {"PT", "PRT", "Portugal", "Portuguese Republic", ""},
    {"PY", "PRY", "Paraguay", "Republic of Paraguay", ""},
    {"PS", "PSE", "Palestine, State of", "the State of Palestine", ""},
    {"PF", "PYF", "French Polynesia", "", ""},
    {"QA", "QAT", "Qatar", "State of Qatar", ""},
    {"RE", "REU", "Réunion", "", ""},
    {"RO", "ROU", "Romania", "", ""},
    {"RU", "RUS", "Russian Federation", "", ""},
    {"RW", "RWA", "Rwanda", "Rwandese Republic", ""},
    {"SA", "SAU", "Saudi Arabia", "Kingdom of Saudi Arabia", ""},
    {"SD", "SDN", "Sudan", "Republic of the Sudan", ""},
    {"SN", "SEN", "Senegal", "Republic of Senegal", ""},
    {"SG", "SGP", "Singapore", "Republic of Singapore", ""},
    {"GS", "SGS", "South Georgia and the South Sandwich Islands", "", ""},
    {"SH", "SHN", "Saint Helena, Ascension and Tristan da Cunha", "", ""},
    {"SJ", "SJM", "Svalbard and Jan Mayen", "", ""},
    {"SB", "SLB", "Solomon Islands", "", ""},
    {"SL", "SLE", "Sierra Leone", "Republic of Sierra Leone", ""},
    {"SV", "SLV", "El Salvador", "Republic of El Salvador", ""},
    {"SM", "SMR", "San Marino", "Republic of San Marino", ""},
    {"SO", "SOM", "Somalia", "Federal Republic of Somalia", ""},
    {"PM", "SPM", "Saint Pierre and Miquelon", "", ""},
    {"RS", "SRB", "Serbia", "Republic of Serbia", ""},
    {"SS", "SSD", "South Sudan", "Republic of South Sudan", ""},
    {"ST", "STP", "Sao Tome and Principe", "Democratic Republic of Sao Tome and Principe", ""},
    {"SR", "SUR", "Suriname", "Republic of Suriname", ""},
    {"SK", "SVK", "Slovakia", "Slovak Republic", ""},
    {"SI", "SVN", "Slovenia", "Republic of Slovenia", ""},
    {"SE", "SWE", "Sweden", "Kingdom of Sweden", ""},
    {"SZ", "SWZ", "Eswatini", "Kingdom of Eswatini", ""},
    {"SX", "SXM", "Sint Maarten (Dutch part)", "Sint Maarten (Dutch part)", ""},
    {"SC", "SYC", "Seychelles", "Republic of Seychelles", ""},
    {"SY", "SYR", "Syrian Arab Republic", "", "Syria"},
    {"TC", "TCA", "Turks and Caicos Islands", "", ""},
    {"TD", "TCD", "Chad", "Republic of Chad", ""},
    {"TG", "TGO", "Togo", "Togolese Republic", ""},
    {"TH", "THA", "Thailand", "Kingdom of Thailand", ""},
    {"TJ", "TJK", "Tajikistan", "Republic of Tajikistan", ""},
    {"TK", "TKL", "Tokelau", "", ""},
    {"TM", "TKM", "Turkmenistan", "", ""},
    {"TL", "TLS", "Timor-Leste", "Democratic Republic of Timor-Leste", ""},
    {"TO", "TON", "Tonga", "Kingdom of Tonga", ""},
    {"TT", "TTO", "Trinidad and Tobago", "Republic of Trinidad and Tobago", ""},
    {"TN", "TUN", "Tunisia", "Republic of Tunisia", ""},
    {"TR", "TUR", "Türkiye", "Republic of Türkiye", ""},
    {"TV", "TUV", "Tuvalu", "", ""},
    {"TW", "TWN", "Taiwan, Province of China", "Taiwan, Province of China", "Taiwan"},
    {"TZ", "TZA", "Tanzania, United Republic of", "United Republic of Tanzania", "Tanzania"},
    {"UG", "UGA", "Uganda", "Republic of Uganda", ""},
    {"UA", "UKR", "Ukraine", "", ""},
    {"UM", "UMI", "United States Minor Outlying Islands", "", ""},
    {"UY", "URY", "Uruguay", "Eastern Republic of Uruguay", ""},
    {"US", "USA", "United States", "United States of America", ""},
    {"UZ", "UZB", "Uzbekistan", "Republic of Uzbekistan", ""},
    {"VA", "VAT", "Holy See (Vatican City State)", "", ""},
    {"VC", "VCT", "Saint Vincent and the Grenadines", "", ""},
    {"VE", "VEN", "Venezuela, Bolivarian Republic of", "Bolivarian Republic of Venezuela",
     "Venezuela"},
    {"VG", "VGB", "Virgin Islands, British", "British Virgin Islands", ""},
    {"VI", "VIR", "Virgin Islands, U.S.", "Virgin Islands of the United States", ""},
    {"VN", "VNM", "Viet Nam", "Socialist Republic of Viet Nam", "Vietnam"},
    {"VU", "VUT", "Vanuatu", "Republic of Vanuatu", ""},
    {"WF", "WLF", "Wallis and Futuna", "", ""},
    {"WS", "WSM", "Samoa", "Independent State of Samoa", ""},
    {"YE", "YEM", "Yemen", "Republic of Yemen", ""},
    {"ZA", "ZAF", "South Africa", "Republic of South Africa", ""},
    {"ZM", "ZMB", "Zambia", "Republic of Zambia", ""},
    {"ZW", "ZWE", "Zimbabwe", "Republic of Zimbabwe", ""},
};

constexpr Row kKosovo = {"XK", "XKX", "Kosovo", "Republic of Kosovo", ""};

struct Alias {
  std::string_view text;
  std::string_view alpha3;
};

// Names that are not in the ISO table: former and short names, the forms the
// UN and OFAC write, and nationality adjectives. Adjectives shared by two
// countries ("Congolese", "Dominican", "Korean") are left out.
constexpr Alias kAliases[] = {
    {"Afghan", "AFG"},
    {"Albanian", "ALB"},
    {"Algerian", "DZA"},
    {"American", "USA"},
    {"America", "USA"},
    {"U.S.", "USA"},
    {"U.S.A.", "USA"},
    {"United States", "USA"},
    {"Angolan", "AGO"},
    {"Argentine", "ARG"},
    {"Argentinian", "ARG"},
    {"Armenian", "ARM"},
    {"Australian", "AUS"},
    {"Austrian", "AUT"},
    {"Azerbaijani", "AZE"},
    {"Bahamian", "BHS"},
    {"Bahraini", "BHR"},
    {"Bangladeshi", "BGD"},
    {"Belarusian", "BLR"},
    {"Byelorussia", "BLR"},
    {"Belgian", "BEL"},
    {"Bolivian", "BOL"},
    {"Bosnia", "BIH"},
    {"Bosnian", "BIH"},
    {"Bosnia-Herzegovina", "BIH"},
    {"Brazilian", "BRA"},
    {"Brunei", "BRN"},
    {"Bruneian", "BRN"},
    {"Bulgarian", "BGR"},
    {"Burma", "MMR"},
    {"Burmese", "MMR"},
    {"Burundian", "BDI"},
    {"Cambodian", "KHM"},
    {"Cameroonian", "CMR"},
    {"Canadian", "CAN"},
    {"Cape Verde", "CPV"},
    {"Cape Verdean", "CPV"},
    {"Central African", "CAF"},
    {"Chadian", "TCD"},
    {"Chilean", "CHL"},
    {"Chinese", "CHN"},
    {"Colombian", "COL"},
    {"Democratic Republic of the Congo", "COD"},
    {"Congo, Democratic Republic of the", "COD"},
    {"Congo (Kinshasa)", "COD"},
    {"Congo-Kinshasa", "COD"},
    {"DR Congo", "COD"},
    {"DRC", "COD"},
    {"Zaire", "COD"},
    {"Congo, Republic of the", "COG"},
    {"Congo (Brazzaville)", "COG"},
    {"Congo-Brazzaville", "COG"},
    {"Costa Rican", "CRI"},
    {"Ivory Coast", "CIV"},
    {"Ivorian", "CIV"},
    {"Croatian", "HRV"},
    {"Cuban", "CUB"},
    {"Curacao", "CUW"},
    {"Cypriot", "CYP"},
    {"Czech", "CZE"},
    {"Danish", "DNK"},
    {"Dane", "DNK"},
    {"Ecuadorian", "ECU"},
    {"Egyptian", "EGY"},
    {"Salvadoran", "SLV"},
    {"Salvadorian", "SLV"},
    {"Equatorial Guinean", "GNQ"},
    {"Eritrean", "ERI"},
    {"Estonian", "EST"},
    {"Swaziland", "SWZ"},
    {"Swazi", "SWZ"},
    {"Ethiopian", "ETH"},
    {"Falkland Islands", "FLK"},
    {"Fijian", "FJI"},
    {"Finnish", "FIN"},
    {"French", "FRA"},
    {"Gabonese", "GAB"},
    {"Gambian", "GMB"},
    {"Georgian", "GEO"},
    {"German", "DEU"},
    {"Ghanaian", "GHA"},
    {"Greek", "GRC"},
    {"Guatemalan", "GTM"},
    {"Guinean", "GIN"},
    {"Bissau-Guinean", "GNB"},
    {"Guyanese", "GUY"},
    {"Haitian", "HTI"},
    {"Vatican", "VAT"},
    {"Vatican City", "VAT"},
    {"Holy See", "VAT"},
    {"Honduran", "HND"},
    {"Hong Kong, China", "HKG"},
    {"Hong Kong SAR", "HKG"},
    {"Hungarian", "HUN"},
    {"Icelandic", "ISL"},
    {"Indian", "IND"},
    {"Indonesian", "IDN"},
    {"Iranian", "IRN"},
    {"Persia", "IRN"},
    {"Iraqi", "IRQ"},
    {"Irish", "IRL"},
    {"Republic of Ireland", "IRL"},
    {"Israeli", "ISR"},
    {"Italian", "ITA"},
    {"Jamaican", "JAM"},
    {"Japanese", "JPN"},
    {"Jordanian", "JOR"},
    {"Kazakh", "KAZ"},
    {"Kazakhstani", "KAZ"},
    {"Kenyan", "KEN"},
    {"Korea, North", "PRK"},
    {"North Korean", "PRK"},
    {"DPRK", "PRK"},
    {"Korea DPR", "PRK"},
    {"Korea, Democratic People's Republic", "PRK"},
    {"Korea, South", "KOR"},
    {"South Korean", "KOR"},
    {"Republic of Korea", "KOR"},
    {"Kosovar", "XKX"},
    {"Kuwaiti", "KWT"},
    {"Kyrgyz", "KGZ"},
    {"Kyrgyzstani", "KGZ"},
    {"Kirghizia", "KGZ"},
    {"Lao", "LAO"},
    {"Laotian", "LAO"},
    {"Lao PDR", "LAO"},
    {"Latvian", "LVA"},
    {"Lebanese", "LBN"},
    {"Liberian", "LBR"},
    {"Libyan", "LBY"},
    {"Libyan Arab Jamahiriya", "LBY"},
    {"Lithuanian", "LTU"},
    {"Luxembourger", "LUX"},
    {"Macau", "MAC"},
    {"Macao SAR", "MAC"},
    {"Macedonia", "MKD"},
    {"Macedonia, The Former Yugoslav Republic of", "MKD"},
    {"The former Yugoslav Republic of Macedonia", "MKD"},
    {"FYROM", "MKD"},
    {"Macedonian", "MKD"},
    {"North Macedonian", "MKD"},
    {"Malagasy", "MDG"},
    {"Malawian", "MWI"},
    {"Malaysian", "MYS"},
    {"Maldivian", "MDV"},
    {"Malian", "MLI"},
    {"Maltese", "MLT"},
    {"Mauritanian", "MRT"},
    {"Mauritian", "MUS"},
    {"Mexican", "MEX"},
    {"Micronesia", "FSM"},
    {"Moldovan", "MDA"},
    {"Mongolian", "MNG"},
    {"Montenegrin", "MNE"},
    {"Moroccan", "MAR"},
    {"Mozambican", "MOZ"},
    {"Namibian", "NAM"},
    {"Nepali", "NPL"},
    {"Nepalese", "NPL"},
    {"Dutch", "NLD"},
    {"Holland", "NLD"},
    {"New Zealander", "NZL"},
    {"Nicaraguan", "NIC"},
    {"Nigerien", "NER"},
    {"Nigerian", "NGA"},
    {"Norwegian", "NOR"},
    {"Omani", "OMN"},
    {"Pakistani", "PAK"},
    {"Palestine", "PSE"},
    {"State of Palestine", "PSE"},
    {"Palestinian", "PSE"},
    {"Palestinian Territories", "PSE"},
    {"Palestinian Territory, Occupied", "PSE"},
    {"Occupied Palestinian Territory", "PSE"},
    {"Palestinian Authority", "PSE"},
    {"West Bank", "PSE"},
    {"West Bank and Gaza", "PSE"},
    {"Gaza", "PSE"},
    {"Gaza Strip", "PSE"},
    {"Panamanian", "PAN"},
    {"Paraguayan", "PRY"},
    {"Peruvian", "PER"},
    {"Filipino", "PHL"},
    {"Philippine", "PHL"},
    {"Pitcairn Islands", "PCN"},
    {"Polish", "POL"},
    {"Portuguese", "PRT"},
    {"Qatari", "QAT"},
    {"Romanian", "ROU"},
    {"Rumania", "ROU"},
    {"Russia", "RUS"},
    {"Russian", "RUS"},
    {"Rwandan", "RWA"},
    {"Saint Christopher and Nevis", "KNA"},
    {"Saint Helena", "SHN"},
    {"Saint Martin", "MAF"},
    {"Sao Tome", "STP"},
    {"Saudi", "SAU"},
    {"Saudi Arabian", "SAU"},
    {"Senegalese", "SEN"},
    {"Serbian", "SRB"},
    {"Serb", "SRB"},
    {"Sierra Leonean", "SLE"},
    {"Singaporean", "SGP"},
    {"Sint Maarten", "SXM"},
    {"Slovak", "SVK"},
    {"Slovenian", "SVN"},
    {"Slovene", "SVN"},
    {"Somali", "SOM"},
    {"South African", "ZAF"},
    {"South Sudanese", "SSD"},
    {"Spanish", "ESP"},
    {"Sri Lankan", "LKA"},
    {"Ceylon", "LKA"},
    {"Man, Isle of", "IMN"},
    {"Sudanese", "SDN"},
    {"Swedish", "SWE"},
    {"Swiss", "CHE"},
    {"Syrian", "SYR"},
    {"Taiwanese", "TWN"},
    {"Chinese Taipei", "TWN"},
    {"Tajik", "TJK"},
    {"Tajikistani", "TJK"},
    {"Tanzanian", "TZA"},
    {"Thai", "THA"},
    {"East Timor", "TLS"},
    {"Timorese", "TLS"},
    {"Togolese", "TGO"},
    {"Tunisian", "TUN"},
    {"Turkey", "TUR"},
    {"Turkish", "TUR"},
    {"Turkmen", "TKM"},
    {"Ugandan", "UGA"},
    {"Ukrainian", "UKR"},
    {"UAE", "ARE"},
    {"U.A.E.", "ARE"},
    {"Emirati", "ARE"},
    {"Emirates", "ARE"},
    {"UK", "GBR"},
    {"U.K.", "GBR"},
    {"Great Britain", "GBR"},
    {"Britain", "GBR"},
    {"British", "GBR"},
    {"England", "GBR"},
    {"Scotland", "GBR"},
    {"Wales", "GBR"},
    {"Northern Ireland", "GBR"},
    {"US Virgin Islands", "VIR"},
    {"Uruguayan", "URY"},
    {"Uzbek", "UZB"},
    {"Uzbekistani", "UZB"},
    {"Venezuelan", "VEN"},
    {"Vietnamese", "VNM"},
    {"Yemeni", "YEM"},
    {"Zambian", "ZMB"},
    {"Zimbabwean", "ZWE"},
};

// Document codes of ICAO Doc 9303 that are not ISO alpha-3 codes but name a
// country.
constexpr Alias kIcaoCodes[] = {
    {"D", "DEU"},   {"GBD", "GBR"}, {"GBN", "GBR"}, {"GBO", "GBR"},
    {"GBP", "GBR"}, {"GBS", "GBR"}, {"RKS", "XKX"},
};

// U+00C0..U+024F, two characters per code point.
constexpr std::string_view kFoldLatin =
    "a a a a a a aec e e e e i i i i d n o o o o o   o u u u u y thss"
    "a a a a a a aec e e e e i i i i d n o o o o o   o u u u u y thy "
    "a a a a a a c c c c c c c c d d d d e e e e e e e e e e g g g g "
    "g g g g h h h h i i i i i i i i i i ijijj j k k k l l l l l l l "
    "l l l n n n n n n n n n o o o o o o oeoer r r r r r s s s s s s "
    "s s t t t t t t u u u u u u u u u u u u w w y y y z z z z z z s "
    "b b           c c d d             f f g       i k k l     n n o "
    "o o     p p           t t t t u u   v y y z z                   "
    "        dzdzdzljljljnjnjnja a i i o o u u u u u u u u u u   a a "
    "a a     g g g g k k o o o o     j dzdzdzg g     n n a a         "
    "a a a a e e e e i i i i o o o o r r r r u u u u s s t t     h h "
    "        z z a a e e o o o o o o o o y y l n t j     a c c l t s "
    "z     b u   e e j j     r r y y ";
// U+1E00..U+1EFF, two characters per code point.
constexpr std::string_view kFoldLatinAdditional =
    "a a b b b b b b c c d d d d d d d d d d e e e e e e e e e e f f "
    "g g h h h h h h h h h h i i i i k k k k k k l l l l l l l l m m "
    "m m m m n n n n n n n n o o o o o o o o p p p p r r r r r r r r "
    "s s s s s s s s s s t t t t t t t t u u u u u u u u u u v v v v "
    "w w w w w w w w w w x x x x y y z z z z z z h t w y   s     ss  "
    "a a a a a a a a a a a a a a a a a a a a a a a a e e e e e e e e "
    "e e e e e e e e i i i i o o o o o o o o o o o o o o o o o o o o "
    "o o o o u u u u u u u u u u u u u u y y y y y y y y             ";

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

char upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

bool is_ascii_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Decodes one UTF-8 sequence at `s[*i]` and advances past it; malformed
// bytes are returned one at a time as U+FFFD.
uint32_t next_code_point(std::string_view s, size_t* i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(*i);
  int len = 0;
  uint32_t cp = 0;
  if (c < 0x80) {
    ++*i;
    return c;
  } else if ((c & 0xE0) == 0xC0) {
    len = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4;
    cp = c & 0x07;
  } else {
    ++*i;
    return 0xFFFD;
  }
  if (*i + len > s.size()) {
    ++*i;
    return 0xFFFD;
  }
  for (int k = 1; k < len; ++k) {
    if ((b(*i + k) & 0xC0) != 0x80) {
      ++*i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b(*i + k) & 0x3F);
  }
  *i += len;
  return cp;
}

// The letters a code point stands for once accents are removed (lower case),
// or an empty view for anything that is not a Latin letter or digit.
std::string_view folded(uint32_t cp, char* ascii) {
  if (cp < 0x80) {
    const char c = static_cast<char>(cp);
    if (!is_ascii_alnum(c)) return {};
    *ascii = lower(c);
    return std::string_view(ascii, 1);
  }
  std::string_view table;
  uint32_t first = 0;
  if (cp >= 0xC0 && cp < 0xC0 + kFoldLatin.size() / 2) {
    table = kFoldLatin;
    first = 0xC0;
  } else if (cp >= 0x1E00 && cp < 0x1E00 + kFoldLatinAdditional.size() / 2) {
    table = kFoldLatinAdditional;
    first = 0x1E00;
  } else {
    return {};
  }
  std::string_view two = table.substr((cp - first) * 2, 2);
  if (two[1] == ' ') two.remove_suffix(1);
  if (two == " ") return {};
  return two;
}

// The comparison key of a name: lower-case ASCII words without accents and
// punctuation, "the" dropped, "st" read as "saint", "&" as "and".
std::string name_key(std::string_view text) {
  std::vector<std::string> words(1);
  char ascii = 0;
  for (size_t i = 0; i < text.size();) {
    const uint32_t cp = next_code_point(text, &i);
    const std::string_view letters = folded(cp, &ascii);
    if (!letters.empty()) {
      words.back() += letters;
      continue;
    }
    if (!words.back().empty()) words.emplace_back();
    if (cp == '&') {
      words.back() = "and";
      words.emplace_back();
    }
  }
  std::string key;
  for (std::string& w : words) {
    if (w.empty() || w == "the") continue;
    if (w == "st") w = "saint";
    if (!key.empty()) key.push_back(' ');
    key += w;
  }
  return key;
}

struct Tables {
  std::vector<Country> countries;
  std::unordered_map<std::string, std::string_view> by_code;  // alpha-2, alpha-3, ICAO
  std::unordered_map<std::string, std::string_view> by_name;  // name keys

  Tables() {
    auto add_row = [&](const Row& r, bool iso) {
      countries.push_back({r.alpha2, r.alpha3, r.name, iso});
      by_code.emplace(std::string(r.alpha2), r.alpha3);
      by_code.emplace(std::string(r.alpha3), r.alpha3);
      for (std::string_view n : {r.name, r.official, r.common})
        if (!n.empty()) by_name.emplace(name_key(n), r.alpha3);
    };
    for (const Row& r : kIso) add_row(r, true);
    add_row(kKosovo, false);
    for (const Alias& a : kIcaoCodes) by_code.emplace(std::string(a.text), a.alpha3);
    for (const Alias& a : kAliases) by_name.emplace(name_key(a.text), a.alpha3);
  }
};

const Tables& tables() {
  static const Tables t;
  return t;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

bool all_ascii_letters(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); });
}

}  // namespace

std::span<const Country> all_countries() { return tables().countries; }

const Country* find_country(std::string_view alpha3) {
  const std::vector<Country>& all = tables().countries;
  for (const Country& c : all)
    if (c.alpha3 == alpha3) return &c;
  return nullptr;
}

std::string country_alpha3(std::string_view text) {
  text = trim(text);
  if (text.empty() || text.size() > 200) return {};
  const Tables& t = tables();
  if (text.size() <= 3 && all_ascii_letters(text)) {
    std::string code(text);
    for (char& c : code) c = upper(c);
    const auto it = t.by_code.find(code);
    if (it != t.by_code.end()) return std::string(it->second);
  }
  const auto it = t.by_name.find(name_key(text));
  return it == t.by_name.end() ? std::string() : std::string(it->second);
}

std::string country_alpha2_to_3(std::string_view alpha2) {
  alpha2 = trim(alpha2);
  if (alpha2.size() != 2 || !all_ascii_letters(alpha2)) return {};
  const std::string code{upper(alpha2[0]), upper(alpha2[1])};
  const auto it = tables().by_code.find(code);
  return it == tables().by_code.end() ? std::string() : std::string(it->second);
}

}  // namespace vigil
