/// The version of this Marquee build.
public enum MarqueeVersion {
    /// Semantic version of the binaries and the wire protocol.
    public static let current = "0.1.0"
}
