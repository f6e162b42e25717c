//! The Peppol Electronic Address Scheme (EAS) code list: which schemes an
//! e-invoicing endpoint id may use (seed 004's EAS Code). Deprecated schemes
//! are left out: a new setting must not choose one.

/// (code, scheme) of every EAS code accepted.
pub const CODES: &[(&str, &str)] = &[
    ("0002", "SIRENE (France)"),
    ("0007", "Organisationsnummer (Sweden)"),
    ("0009", "SIRET (France)"),
    ("0037", "LY-tunnus (Finland)"),
    ("0060", "D-U-N-S Number"),
    ("0088", "Global Location Number (GLN)"),
    ("0096", "Danish Chamber of Commerce (EDIRA)"),
    ("0097", "FTI - Ediforum Italia"),
    ("0106", "Chamber of Commerce, KvK (Netherlands)"),
    ("0130", "Directorates of the European Commission"),
    ("0135", "SIA Object Identifiers"),
    ("0142", "SECETI Object Identifiers"),
    ("0147", "Standard Company Code (Japan)"),
    ("0151", "Australian Business Number (ABN)"),
    (
        "0154",
        "Identification number of economic subjects, ICO (Czechia)",
    ),
    (
        "0158",
        "Identification number of economic subject, ICO Act on State Statistics",
    ),
    ("0170", "Teikoku Company Code"),
    ("0177", "Odette International"),
    ("0183", "Swiss Unique Business Identification Number (UIDB)"),
    ("0184", "DIGSTORG (Denmark)"),
    ("0188", "Corporate Number (Japan)"),
    ("0190", "Dutch Originator's Identification Number (OIN)"),
    (
        "0191",
        "Centre of Registers and Information Systems (Estonia)",
    ),
    ("0192", "Enhetsregisteret (Norway)"),
    ("0193", "UBL.BE party identifier (Belgium)"),
    ("0194", "KOIOS Open Technical Dictionary"),
    ("0195", "Singapore UEN"),
    ("0196", "Kennitala (Iceland)"),
    ("0198", "ERSTORG (Denmark)"),
    ("0199", "Legal Entity Identifier (LEI)"),
    ("0200", "Legal entity code (Lithuania)"),
    ("0201", "Codice Univoco Unità Organizzativa iPA (Italy)"),
    ("0202", "Indirizzo di Posta Elettronica Certificata (Italy)"),
    ("0203", "eDelivery Network Participant identifier"),
    ("0204", "Leitweg-ID (Germany)"),
    ("0205", "CODDEST (Italy)"),
    ("0208", "Enterprise number (Belgium)"),
    ("0209", "GS1 identification keys"),
    ("0210", "Codice Fiscale (Italy)"),
    ("0211", "Partita IVA (Italy)"),
    ("0212", "Finnish Organization Identifier"),
    ("0213", "Finnish Organization VAT Identifier"),
    ("0215", "Net service ID (Finland)"),
    ("0216", "OVTcode (Finland)"),
    (
        "0217",
        "Chamber of Commerce establishment number (Netherlands)",
    ),
    ("0218", "Unified registration number (Latvia)"),
    (
        "0221",
        "Registered number of the qualified invoice issuer (Japan)",
    ),
    ("0225", "FRCTC electronic address (France)"),
    ("0230", "National e-Invoicing Framework (Malaysia)"),
    ("0235", "UAE Tax Identification Number (TIN)"),
    ("0240", "Register of legal persons (Luxembourg)"),
    ("9910", "VAT number (Hungary)"),
    ("9913", "Business Registers Network"),
    ("9914", "Umsatzsteuer-Identifikationsnummer (Austria)"),
    (
        "9915",
        "Verwaltungs- bzw. Organisationskennzeichen (Austria)",
    ),
    ("9918", "SWIFT"),
    ("9919", "Kennziffer des Unternehmensregisters (Austria)"),
    (
        "9920",
        "Agencia Española de Administración Tributaria (Spain)",
    ),
    ("9922", "VAT number (Andorra)"),
    ("9923", "VAT number (Albania)"),
    ("9924", "VAT number (Bosnia and Herzegovina)"),
    ("9925", "VAT number (Belgium)"),
    ("9926", "VAT number (Bulgaria)"),
    ("9927", "VAT number (Switzerland)"),
    ("9928", "VAT number (Cyprus)"),
    ("9929", "VAT number (Czech Republic)"),
    ("9930", "VAT number (Germany)"),
    ("9931", "VAT number (Estonia)"),
    ("9932", "VAT number (United Kingdom)"),
    ("9933", "VAT number (Greece)"),
    ("9934", "VAT number (Croatia)"),
    ("9935", "VAT number (Ireland)"),
    ("9936", "VAT number (Liechtenstein)"),
    ("9937", "VAT number (Lithuania)"),
    ("9938", "VAT number (Luxembourg)"),
    ("9939", "VAT number (Latvia)"),
    ("9940", "VAT number (Monaco)"),
    ("9941", "VAT number (Montenegro)"),
    ("9942", "VAT number (North Macedonia)"),
    ("9943", "VAT number (Malta)"),
    ("9944", "VAT number (Netherlands)"),
    ("9945", "VAT number (Poland)"),
    ("9946", "VAT number (Portugal)"),
    ("9947", "VAT number (Romania)"),
    ("9948", "VAT number (Serbia)"),
    ("9949", "VAT number (Slovenia)"),
    ("9950", "VAT number (Slovakia)"),
    ("9951", "VAT number (San Marino)"),
    ("9952", "VAT number (Turkey)"),
    ("9953", "VAT number (Holy See)"),
    ("9957", "VAT number (France)"),
    ("9959", "Employer Identification Number, EIN (USA)"),
    ("AN", "O.F.T.P. (ODETTE File Transfer Protocol)"),
    ("AQ", "X.400 address for mail text"),
    ("AS", "AS2 exchange"),
    ("AU", "File Transfer Protocol"),
    ("EM", "Electronic mail"),
];

/// Whether `code` is on the list.
pub fn is_known(code: &str) -> bool {
    CODES.iter().any(|(c, _)| *c == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_sorted_unique_and_finds_gln() {
        assert!(CODES.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(is_known("0088"));
        assert!(!is_known("88"));
        assert!(!is_known("9901"), "deprecated");
    }
}
