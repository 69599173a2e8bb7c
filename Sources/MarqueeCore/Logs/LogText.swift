/// Text helpers for log messages.
public enum LogText {
    /// `text` cut to at most `maximumBytes` of UTF-8 on a character boundary, marked with ` …`.
    public static func cut(_ text: String, to maximumBytes: Int) -> String {
        guard text.utf8.count > maximumBytes else { return text }
        var cut = ""
        for character in text {
            guard cut.utf8.count + character.utf8.count <= maximumBytes - 4 else { break }
            cut.append(character)
        }
        return cut + " …"
    }
}
