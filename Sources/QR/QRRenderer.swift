/// Renders a `QRSymbol` for a terminal, as a PNG image or as an SVG document.
///
/// Every rendering includes a quiet zone of `quietZone` light modules on each side: the
/// QR specification requires it, and scanners fail surprisingly often without it (a
/// terminal's own background or an image viewer's frame is not reliably light).
public enum QRRenderer {
  /// Light modules around the symbol on each side, as the QR specification asks for.
  public static let quietZone = 4

  /// Accepted values for `png(_:scale:)`. The upper bound keeps the image (and libpng's
  /// input, see PNG.swift) bounded: a version-40 symbol at 64 is 11,840 pixels wide.
  public static let pngScaleRange = 1...64

  // MARK: - Terminal

  /// Columns (and, halved and rounded up, lines) that `utf8(_:)` and `ansi(_:)` take:
  /// the symbol and its quiet zone, one module per column. A terminal narrower than this
  /// wraps the lines and the code no longer scans.
  public static func terminalWidth(_ symbol: QRSymbol) -> Int {
    symbol.size + 2 * quietZone
  }

  /// What one half of a half-block character cell shows.
  private enum Half {
    case light, dark
    /// Below the last quiet-zone row when the padded height is odd: nothing is drawn there.
    case none
  }

  /// The module at padded coordinates (quiet zone included) for the row pair layout.
  private static func half(_ symbol: QRSymbol, x: Int, y: Int) -> Half {
    let side = symbol.size + 2 * quietZone
    guard y < side else { return .none }
    return symbol.isDark(x: x - quietZone, y: y - quietZone) ? .dark : .light
  }

  /// Unicode half blocks, two module rows per text line, 4-module quiet zone, no escape codes.
  ///
  /// Follows the convention of `qrencode -t UTF8`: it assumes a dark terminal background
  /// with a light foreground, so LIGHT modules (and the quiet zone) are drawn as blocks
  /// and dark modules are left as background. On a light-background terminal the code
  /// appears inverted and many scanners (zbar among them) refuse it; `ansi(_:)` avoids
  /// that and is what mfactl draws on a terminal unless NO_COLOR is set.
  ///
  /// The padded symbol has an odd number of rows, so the last line's lower half is empty
  /// (drawn as background, i.e. not drawn): that line is all upper half blocks "▀".
  /// Each line is `size + 8` characters long and ends with "\n".
  public static func utf8(_ symbol: QRSymbol) -> String {
    let side = symbol.size + 2 * quietZone
    var out = String()
    out.reserveCapacity((side + 1) / 2 * (side * 3 + 1))
    var y = 0
    while y < side {
      for x in 0..<side {
        let top = half(symbol, x: x, y: y)
        let bottom = half(symbol, x: x, y: y + 1)
        switch (top == .light, bottom == .light) {
        case (true, true): out.unicodeScalars.append("\u{2588}")  // █ full block
        case (true, false): out.unicodeScalars.append("\u{2580}")  // ▀ upper half
        case (false, true): out.unicodeScalars.append("\u{2584}")  // ▄ lower half
        case (false, false): out.unicodeScalars.append(" ")
        }
      }
      out.append("\n")
      y += 2
    }
    return out
  }

  /// 256-colour palette indices: 16 is the cube's pure black and 231 its pure white, which
  /// (unlike the 16 basic colours) terminal themes do not remap.
  private static let black = 16
  private static let white = 231

  /// The same half-block layout as `utf8(_:)` with explicit 256-colour escape codes: black
  /// (16) modules on white (231), so the code scans on dark and light terminals alike.
  ///
  /// Every character is an upper half block "▀" whose foreground colour is the upper
  /// module and whose background colour is the lower one. On the last line, whose lower
  /// half lies below the symbol, the background is the terminal's default (`ESC[49m`) so
  /// no extra half row of white is painted. Escape codes are emitted only when a colour
  /// changes, and every line ends with a reset (`ESC[0m`) before "\n" so nothing leaks
  /// into later output.
  public static func ansi(_ symbol: QRSymbol) -> String {
    let side = symbol.size + 2 * quietZone
    var out = String()
    var y = 0
    while y < side {
      var foreground = -1  // -1: not set on this line yet; -2 for background: default
      var background = -1
      for x in 0..<side {
        let top = half(symbol, x: x, y: y) == .dark ? black : white
        let lower = half(symbol, x: x, y: y + 1)
        let bottom = lower == .none ? -2 : (lower == .dark ? black : white)
        if top != foreground {
          out += "\u{1B}[38;5;\(top)m"
          foreground = top
        }
        if bottom != background {
          out += bottom == -2 ? "\u{1B}[49m" : "\u{1B}[48;5;\(bottom)m"
          background = bottom
        }
        out.unicodeScalars.append("\u{2580}")
      }
      out += "\u{1B}[0m\n"
      y += 2
    }
    return out
  }

  // MARK: - SVG

  /// Standalone SVG document: a white background rectangle and one `<path>` holding all
  /// dark modules, with coordinates in modules (the viewBox includes the quiet zone) and
  /// `shape-rendering="crispEdges"` so renderers do not anti-alias module edges into grey
  /// seams.
  ///
  /// Each horizontal run of dark modules becomes one subpath `M x y h w v 1 h -w z`
  /// (written compactly as `Mx yhwv1h-wz`): far smaller than one `<rect>` per module, and
  /// adjacent runs share edges exactly, so no hairlines appear between them.
  ///
  /// `moduleSize` only sets the `width`/`height` attributes (pixels per module); values
  /// below 1 are treated as 1 and values above 1024 as 1024, so the attributes stay sane.
  public static func svg(_ symbol: QRSymbol, moduleSize: Int = 8) -> String {
    let side = symbol.size + 2 * quietZone
    let pixels = side * min(max(moduleSize, 1), 1024)
    var path = String()
    for y in 0..<symbol.size {
      var x = 0
      while x < symbol.size {
        guard symbol.isDark(x: x, y: y) else {
          x += 1
          continue
        }
        var run = 1
        while symbol.isDark(x: x + run, y: y) { run += 1 }
        path += "M\(x + quietZone) \(y + quietZone)h\(run)v1h-\(run)z"
        x += run
      }
    }
    return """
      <?xml version="1.0" encoding="UTF-8"?>
      <svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="\(pixels)" height="\(pixels)" \
      viewBox="0 0 \(side) \(side)" shape-rendering="crispEdges">
      <rect x="0" y="0" width="\(side)" height="\(side)" fill="#ffffff"/>
      <path fill="#000000" d="\(path)"/>
      </svg>

      """
  }
}
