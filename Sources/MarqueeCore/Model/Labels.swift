/// Key/value labels attached to a site; label selectors match against them.
public typealias Labels = [String: String]

/// The label keys every generated or enrolled site carries.
public enum LabelKey {
    /// ISO 3166 alpha-2 country code, e.g. `SE`.
    public static let country = "country"
    /// City display name, e.g. `Stockholm`.
    public static let city = "city"
    /// Sales region slug, e.g. `nordics`.
    public static let region = "region"
    /// Size class: `small`, `medium` or `large`.
    public static let size = "size"
    /// Number of theater rooms, as a decimal number.
    public static let screens = "screens"
    /// Snack-bar class: `kiosk`, `standard` or `large`.
    public static let snackbar = "snackbar"

    /// The keys a site must carry.
    public static let required = [country, city, region, size, screens, snackbar]
}
