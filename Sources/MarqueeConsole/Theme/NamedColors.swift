/// W3C/X11 colour names accepted in theme files.
enum NamedColors {
    static func rgb(_ name: String) -> (UInt8, UInt8, UInt8)? {
        table[name.lowercased()]
    }

    private static let table: [String: (UInt8, UInt8, UInt8)] = [
        "black": (0, 0, 0), "white": (255, 255, 255), "red": (255, 0, 0), "green": (0, 128, 0), "blue": (0, 0, 255),
        "yellow": (255, 255, 0), "cyan": (0, 255, 255), "aqua": (0, 255, 255), "magenta": (255, 0, 255),
        "fuchsia": (255, 0, 255), "gray": (128, 128, 128), "grey": (128, 128, 128), "silver": (192, 192, 192),
        "maroon": (128, 0, 0), "olive": (128, 128, 0), "lime": (0, 255, 0), "teal": (0, 128, 128), "navy": (0, 0, 128),
        "purple": (128, 0, 128), "orange": (255, 165, 0), "darkorange": (255, 140, 0), "orangered": (255, 69, 0),
        "tomato": (255, 99, 71), "coral": (255, 127, 80), "salmon": (250, 128, 114), "crimson": (220, 20, 60),
        "gold": (255, 215, 0), "khaki": (240, 230, 140), "papayawhip": (255, 239, 213), "dodgerblue": (30, 144, 255),
        "lightskyblue": (135, 206, 250), "skyblue": (135, 206, 235), "steelblue": (70, 130, 180),
        "cadetblue": (95, 158, 160), "darkslateblue": (72, 61, 139), "slateblue": (106, 90, 205),
        "royalblue": (65, 105, 225), "midnightblue": (25, 25, 112), "seagreen": (46, 139, 87),
        "mediumseagreen": (60, 179, 113), "palegreen": (152, 251, 152), "lightgreen": (144, 238, 144),
        "greenyellow": (173, 255, 47), "springgreen": (0, 255, 127), "limegreen": (50, 205, 50),
        "forestgreen": (34, 139, 34), "darkgreen": (0, 100, 0), "mediumpurple": (147, 112, 219), "plum": (221, 160, 221),
        "violet": (238, 130, 238), "indigo": (75, 0, 130), "turquoise": (64, 224, 208), "lightslategray": (119, 136, 153),
        "slategray": (112, 128, 144), "darkslategray": (47, 79, 79), "darkgray": (169, 169, 169),
        "darkgrey": (169, 169, 169), "lightgray": (211, 211, 211), "lightgrey": (211, 211, 211),
        "dimgray": (105, 105, 105), "gainsboro": (220, 220, 220), "whitesmoke": (245, 245, 245),
        "ivory": (255, 255, 240), "beige": (245, 245, 220), "linen": (250, 240, 230), "firebrick": (178, 34, 34),
        "darkred": (139, 0, 0), "indianred": (205, 92, 92), "hotpink": (255, 105, 180), "deeppink": (255, 20, 147),
        "chocolate": (210, 105, 30), "sienna": (160, 82, 45), "goldenrod": (218, 165, 32), "wheat": (245, 222, 179),
        "lightyellow": (255, 255, 224), "lightcyan": (224, 255, 255), "deepskyblue": (0, 191, 255),
        "cornflowerblue": (100, 149, 237), "aquamarine": (127, 255, 212), "darkcyan": (0, 139, 139),
    ]
}
