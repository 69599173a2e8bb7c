import Foundation

/// English names of countries by ISO 3166 alpha-2 code.
public enum CountryNames {
    /// `Sweden` for `SE`; the code itself when unknown.
    public static func name(for code: String) -> String {
        Locale(identifier: "en_US").localizedString(forRegionCode: code) ?? code
    }
}
