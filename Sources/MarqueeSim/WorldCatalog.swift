/// The real countries, cities and time zones the theater chain operates in.
public enum WorldCatalog {
    /// A city with theaters.
    public struct City: Sendable {
        /// Name in the local language (`Zürich`, `東京`).
        public let name: String
        /// Three-letter code used in site ids (`zrh`, `tyo`).
        public let code: String
        /// IANA time zone.
        public let timeZone: String
    }

    /// A country with theaters.
    public struct Country: Sendable {
        /// ISO 3166 alpha-2 code.
        public let code: String
        /// Sales region label value.
        public let region: String
        /// Relative market size; theaters are apportioned by it.
        public let weight: Double
        /// Cities, largest market first.
        public let cities: [City]
    }

    private static func country(_ code: String, _ region: String, _ weight: Double, _ cities: [(String, String, String)]) -> Country {
        Country(code: code, region: region, weight: weight, cities: cities.map { City(name: $0.0, code: $0.1, timeZone: $0.2) })
    }

    /// The thirty countries, largest markets first.
    public static let countries: [Country] = [
        country(
            "US", "north-america", 150,
            [
                ("New York", "nyc", "America/New_York"), ("Los Angeles", "lax", "America/Los_Angeles"),
                ("Chicago", "chi", "America/Chicago"), ("Houston", "hou", "America/Chicago"),
                ("Phoenix", "phx", "America/Phoenix"), ("Atlanta", "atl", "America/New_York"),
                ("Seattle", "sea", "America/Los_Angeles"), ("Denver", "den", "America/Denver"),
                ("Miami", "mia", "America/New_York"), ("Boston", "bos", "America/New_York"),
                ("Anchorage", "anc", "America/Anchorage"), ("Honolulu", "hnl", "Pacific/Honolulu"),
            ]),
        country(
            "GB", "western-europe", 50,
            [
                ("London", "lon", "Europe/London"), ("Manchester", "man", "Europe/London"),
                ("Birmingham", "bhm", "Europe/London"), ("Glasgow", "gla", "Europe/London"),
                ("Leeds", "lds", "Europe/London"), ("Bristol", "brs", "Europe/London"),
            ]),
        country(
            "DE", "central-europe", 50,
            [
                ("Berlin", "ber", "Europe/Berlin"), ("München", "muc", "Europe/Berlin"), ("Hamburg", "ham", "Europe/Berlin"),
                ("Köln", "cgn", "Europe/Berlin"), ("Frankfurt am Main", "fra", "Europe/Berlin"),
                ("Düsseldorf", "dus", "Europe/Berlin"), ("Stuttgart", "str", "Europe/Berlin"),
            ]),
        country(
            "BR", "latin-america", 45,
            [
                ("São Paulo", "sao", "America/Sao_Paulo"), ("Rio de Janeiro", "rio", "America/Sao_Paulo"),
                ("Brasília", "bsb", "America/Sao_Paulo"), ("Porto Alegre", "poa", "America/Sao_Paulo"),
                ("Recife", "rec", "America/Recife"), ("Manaus", "mao", "America/Manaus"),
            ]),
        country(
            "FR", "western-europe", 45,
            [
                ("Paris", "par", "Europe/Paris"), ("Lyon", "lys", "Europe/Paris"), ("Marseille", "mrs", "Europe/Paris"),
                ("Toulouse", "tls", "Europe/Paris"), ("Lille", "lil", "Europe/Paris"), ("Bordeaux", "bod", "Europe/Paris"),
            ]),
        country(
            "MX", "latin-america", 40,
            [
                ("Ciudad de México", "cdm", "America/Mexico_City"), ("Guadalajara", "gdl", "America/Mexico_City"),
                ("Monterrey", "mty", "America/Monterrey"), ("Tijuana", "tij", "America/Tijuana"),
                ("Cancún", "cun", "America/Cancun"),
            ]),
        country(
            "CA", "north-america", 35,
            [
                ("Toronto", "yyz", "America/Toronto"), ("Montréal", "yul", "America/Toronto"),
                ("Vancouver", "yvr", "America/Vancouver"), ("Calgary", "yyc", "America/Edmonton"),
                ("Winnipeg", "ywg", "America/Winnipeg"), ("Halifax", "yhz", "America/Halifax"),
            ]),
        country(
            "ES", "southern-europe", 30,
            [
                ("Madrid", "mad", "Europe/Madrid"), ("Barcelona", "bcn", "Europe/Madrid"), ("Valencia", "vlc", "Europe/Madrid"),
                ("Sevilla", "svq", "Europe/Madrid"), ("Las Palmas de Gran Canaria", "lpa", "Atlantic/Canary"),
            ]),
        country(
            "IT", "southern-europe", 30,
            [
                ("Roma", "rom", "Europe/Rome"), ("Milano", "mil", "Europe/Rome"), ("Napoli", "nap", "Europe/Rome"),
                ("Torino", "trn", "Europe/Rome"), ("Bologna", "blq", "Europe/Rome"),
            ]),
        country(
            "IN", "asia-pacific", 25,
            [
                ("Mumbai", "bom", "Asia/Kolkata"), ("Delhi", "del", "Asia/Kolkata"), ("Bengaluru", "blr", "Asia/Kolkata"),
                ("Chennai", "maa", "Asia/Kolkata"), ("Hyderabad", "hyd", "Asia/Kolkata"),
            ]),
        country(
            "JP", "asia-pacific", 25,
            [
                ("東京", "tyo", "Asia/Tokyo"), ("大阪", "osa", "Asia/Tokyo"), ("名古屋", "ngo", "Asia/Tokyo"),
                ("札幌", "spk", "Asia/Tokyo"), ("福岡", "fuk", "Asia/Tokyo"),
            ]),
        country(
            "AU", "asia-pacific", 24,
            [
                ("Sydney", "syd", "Australia/Sydney"), ("Melbourne", "mel", "Australia/Melbourne"),
                ("Brisbane", "bne", "Australia/Brisbane"), ("Perth", "per", "Australia/Perth"),
                ("Adelaide", "adl", "Australia/Adelaide"),
            ]),
        country(
            "PL", "central-europe", 20,
            [
                ("Warszawa", "waw", "Europe/Warsaw"), ("Kraków", "krk", "Europe/Warsaw"), ("Wrocław", "wro", "Europe/Warsaw"),
                ("Gdańsk", "gdn", "Europe/Warsaw"), ("Poznań", "poz", "Europe/Warsaw"),
            ]),
        country(
            "SE", "nordics", 18,
            [
                ("Stockholm", "sto", "Europe/Stockholm"), ("Göteborg", "got", "Europe/Stockholm"),
                ("Malmö", "mmx", "Europe/Stockholm"), ("Uppsala", "upp", "Europe/Stockholm"),
            ]),
        country(
            "TR", "middle-east", 18,
            [
                ("İstanbul", "ist", "Europe/Istanbul"), ("Ankara", "ank", "Europe/Istanbul"), ("İzmir", "izm", "Europe/Istanbul"),
            ]),
        country(
            "AR", "latin-america", 15,
            [
                ("Buenos Aires", "bue", "America/Argentina/Buenos_Aires"), ("Córdoba", "cor", "America/Argentina/Cordoba"),
                ("Rosario", "ros", "America/Argentina/Buenos_Aires"),
            ]),
        country(
            "KR", "asia-pacific", 15,
            [
                ("서울", "sel", "Asia/Seoul"), ("부산", "pus", "Asia/Seoul"), ("인천", "icn", "Asia/Seoul"),
            ]),
        country(
            "NL", "western-europe", 14,
            [
                ("Amsterdam", "ams", "Europe/Amsterdam"), ("Rotterdam", "rtm", "Europe/Amsterdam"),
                ("Utrecht", "utc", "Europe/Amsterdam"),
            ]),
        country(
            "CO", "latin-america", 12,
            [
                ("Bogotá", "bog", "America/Bogota"), ("Medellín", "mde", "America/Bogota"), ("Cali", "clo", "America/Bogota"),
            ]),
        country(
            "CL", "latin-america", 10,
            [
                ("Santiago", "scl", "America/Santiago"), ("Valparaíso", "vap", "America/Santiago"),
            ]),
        country(
            "BE", "western-europe", 10,
            [
                ("Bruxelles", "bru", "Europe/Brussels"), ("Antwerpen", "anr", "Europe/Brussels"), ("Gent", "gnt", "Europe/Brussels"),
            ]),
        country(
            "PT", "southern-europe", 10,
            [
                ("Lisboa", "lis", "Europe/Lisbon"), ("Porto", "opo", "Europe/Lisbon"), ("Funchal", "fnc", "Atlantic/Madeira"),
            ]),
        country(
            "NO", "nordics", 10,
            [
                ("Oslo", "osl", "Europe/Oslo"), ("Bergen", "bgo", "Europe/Oslo"), ("Trondheim", "trd", "Europe/Oslo"),
            ]),
        country(
            "DK", "nordics", 9,
            [
                ("København", "cph", "Europe/Copenhagen"), ("Aarhus", "aar", "Europe/Copenhagen"), ("Odense", "ode", "Europe/Copenhagen"),
            ]),
        country("IE", "western-europe", 8, [("Dublin", "dub", "Europe/Dublin"), ("Cork", "ork", "Europe/Dublin")]),
        country(
            "CH", "central-europe", 8,
            [
                ("Zürich", "zrh", "Europe/Zurich"), ("Genève", "gva", "Europe/Zurich"), ("Basel", "bsl", "Europe/Zurich"),
                ("Bern", "brn", "Europe/Zurich"),
            ]),
        country(
            "AT", "central-europe", 8,
            [
                ("Wien", "vie", "Europe/Vienna"), ("Graz", "grz", "Europe/Vienna"), ("Salzburg", "szg", "Europe/Vienna"),
            ]),
        country(
            "FI", "nordics", 8,
            [
                ("Helsinki", "hel", "Europe/Helsinki"), ("Tampere", "tmp", "Europe/Helsinki"), ("Oulu", "oul", "Europe/Helsinki"),
            ]),
        country("CZ", "central-europe", 8, [("Praha", "prg", "Europe/Prague"), ("Brno", "brq", "Europe/Prague")]),
        country("AE", "middle-east", 8, [("Dubai", "dxb", "Asia/Dubai"), ("Abu Dhabi", "auh", "Asia/Dubai")]),
    ]

    /// Splits `total` theaters over the countries in proportion to their weights (largest remainder).
    public static func apportion(_ total: Int) -> [(Country, Int)] {
        let weightSum = countries.reduce(0) { $0 + $1.weight }
        let exact = countries.map { Double(total) * $0.weight / weightSum }
        var counts = exact.map { Int($0) }
        let remainders = exact.enumerated().map { ($0.offset, $0.element - Double(counts[$0.offset])) }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        for (index, _) in remainders.prefix(total - counts.reduce(0, +)) { counts[index] += 1 }
        return Array(zip(countries, counts))
    }
}
