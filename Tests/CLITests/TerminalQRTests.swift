// The QR code `enrol` draws on a terminal (issue 9, item 9): it must scan whatever the
// terminal's theme. The captured text is drawn the way a terminal would (half blocks in
// the theme's or the escape codes' colours) into a greyscale image, and zbarimg decodes
// it, once on a dark theme and once on a light one.
import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

/// A terminal theme: the grey of its default foreground and background.
struct Theme {
  var name: String
  var foreground: UInt8
  var background: UInt8

  static let dark = Theme(name: "dark", foreground: 0xD0, background: 0x1C)
  static let light = Theme(name: "light", foreground: 0x24, background: 0xFA)
}

/// Draws terminal text made of half blocks (" ", "▀", "▄", "█") and 256-colour SGR escape
/// codes the way a terminal shows it: each character cell is one pixel column wide and
/// two tall (upper and lower half), scaled up, with a margin of the theme's background.
enum TerminalScreen {
  struct Unsupported: Error, CustomStringConvertible { var description: String }

  /// The greyscale image as a binary PGM (P5), which zbarimg reads.
  static func pgm(_ text: String, theme: Theme, scale: Int = 4, margin: Int = 4) throws -> Data {
    let lines = qrLines(text)
    var rows: [[UInt8]] = []
    for line in lines {
      var top: [UInt8] = []
      var bottom: [UInt8] = []
      var fg = theme.foreground
      var bg = theme.background
      var scalars = Array(line.unicodeScalars)[...]
      while let c = scalars.popFirst() {
        if c == "\u{1B}" {
          guard scalars.popFirst() == "[" else { throw Unsupported(description: "ESC not followed by '['") }
          var params = ""
          while let p = scalars.popFirst(), p != "m" { params.unicodeScalars.append(p) }
          var codes = params.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) ?? 0 }[...]
          while let code = codes.popFirst() {
            switch code {
            case 0:
              fg = theme.foreground
              bg = theme.background
            case 39: fg = theme.foreground
            case 49: bg = theme.background
            case 38, 48:
              guard codes.popFirst() == 5, let n = codes.popFirst() else {
                throw Unsupported(description: "only 256-colour codes are drawn: \(params)")
              }
              let grey = try palette(n)
              if code == 38 { fg = grey } else { bg = grey }
            default: throw Unsupported(description: "SGR code \(code)")
            }
          }
          continue
        }
        switch c {
        case " ": top.append(bg); bottom.append(bg)
        case "\u{2580}": top.append(fg); bottom.append(bg)
        case "\u{2584}": top.append(bg); bottom.append(fg)
        case "\u{2588}": top.append(fg); bottom.append(fg)
        default: throw Unsupported(description: "character U+\(String(c.value, radix: 16)) in a QR line")
        }
      }
      rows.append(top)
      rows.append(bottom)
    }
    let columns = rows.map(\.count).max() ?? 0
    let width = (columns + 2 * margin) * scale
    let height = (rows.count + 2 * margin) * scale
    var pixels = [UInt8](repeating: theme.background, count: width * height)
    for (y, row) in rows.enumerated() {
      for (x, grey) in row.enumerated() {
        for dy in 0..<scale {
          let base = ((y + margin) * scale + dy) * width + (x + margin) * scale
          for dx in 0..<scale { pixels[base + dx] = grey }
        }
      }
    }
    return Data("P5\n\(width) \(height)\n255\n".utf8) + Data(pixels)
  }

  /// The lines of `text` that draw the code: those holding a half or full block.
  static func qrLines(_ text: String) -> [String] {
    text.replacingOccurrences(of: "\r", with: "").components(separatedBy: "\n").filter {
      $0.contains("\u{2580}") || $0.contains("\u{2584}") || $0.contains("\u{2588}")
    }
  }

  /// The xterm 256-colour palette entries mfactl uses: the cube's black and white.
  static func palette(_ n: Int) throws -> UInt8 {
    switch n {
    case 16: return 0x00
    case 231: return 0xFF
    default: throw Unsupported(description: "palette colour \(n)")
    }
  }
}

final class TerminalQRTests: CLITestCase {
  override func setUpWithError() throws {
    try super.setUpWithError()
    try initKeyFileVault()
    // Tests decide the terminal width themselves.
    extraEnv["COLUMNS"] = nil as String?
  }

  /// The otpauth URI line of an enrol's output.
  func uri(in text: String) -> String? {
    text.replacingOccurrences(of: "\r", with: "").components(separatedBy: "\n").first { $0.hasPrefix("otpauth://") }
  }

  /// What zbarimg reads from `text` drawn on `theme` (nil: no code found).
  func decode(_ text: String, on theme: Theme, file: StaticString = #filePath, line: UInt = #line) throws -> String? {
    XCTAssertFalse(TerminalScreen.qrLines(text).isEmpty, "no QR code in the output", file: file, line: line)
    let image = dir + "/screen-\(theme.name).pgm"
    try writeBytes(image, try TerminalScreen.pgm(text, theme: theme))
    let z = try tool("zbarimg", ["--raw", "-q", image])
    guard z.code == 0 else { return nil }
    return z.stdout.trimmingCharacters(in: .newlines)
  }

  /// Runs mfactl on a pseudo-terminal (util-linux `script`), `columns` wide, so that it
  /// sees a terminal on stdout; returns what the terminal got (stdout and stderr).
  func runOnTerminal(_ args: [String], columns: Int, env: [String: String?] = [:]) throws -> RunResult {
    guard let script = Binary.tool("script") else {
      XCTFail("script (util-linux) is not installed")
      throw Binary.Failure(description: "script missing")
    }
    let quoted = ([try binary()] + args).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
    let command = "stty cols \(columns) rows 100; exec " + quoted.joined(separator: " ")
    return try Running(
      executable: script, args: ["-qec", command, "/dev/null"], stdin: nil, env: environment(env), cwd: dir
    ).wait()
  }

  // MARK: - What is drawn

  func testExplicitANSIScansOnDarkAndLightThemes() throws {
    let r = try run(["enrol", "alice", "--qr", "ansi"])
    assertExit(r, 0)
    let uri = try XCTUnwrap(uri(in: r.stdout))
    XCTAssertEqual(try decode(r.stdout, on: .dark), uri, "ansi on a dark theme")
    XCTAssertEqual(try decode(r.stdout, on: .light), uri, "ansi on a light theme")
  }

  /// The uncoloured form is for dark backgrounds; on a light one it is inverted and does
  /// not scan. (Also shows the image test tells a scannable drawing from one that is not.)
  func testUTF8ScansOnDarkThemeOnly() throws {
    let r = try run(["enrol", "alice", "--qr", "utf8"])
    assertExit(r, 0)
    let uri = try XCTUnwrap(uri(in: r.stdout))
    XCTAssertEqual(try decode(r.stdout, on: .dark), uri)
    XCTAssertNil(try decode(r.stdout, on: .light), "utf8 on a light theme is inverted")
  }

  func testDefaultOnATerminalUsesColoursAndScansOnBothThemes() throws {
    let r = try runOnTerminal(["enrol", "alice"], columns: 200, env: ["NO_COLOR": nil])
    XCTAssertEqual(r.code, 0, r.description)
    XCTAssertTrue(r.stdout.contains("\u{1B}[38;5;"), "explicit colours on a terminal\n\(r)")
    let uri = try XCTUnwrap(uri(in: r.stdout), r.description)
    XCTAssertEqual(try decode(r.stdout, on: .dark), uri, "default QR on a dark theme")
    XCTAssertEqual(try decode(r.stdout, on: .light), uri, "default QR on a light theme")
  }

  func testNoColorOnATerminalDrawsForADarkBackgroundAndSaysSo() throws {
    let r = try runOnTerminal(["enrol", "alice"], columns: 200, env: ["NO_COLOR": "1"])
    XCTAssertEqual(r.code, 0, r.description)
    XCTAssertFalse(r.stdout.contains("\u{1B}["), "NO_COLOR: no escape codes\n\(r)")
    let uri = try XCTUnwrap(uri(in: r.stdout), r.description)
    XCTAssertEqual(try decode(r.stdout, on: .dark), uri)
    XCTAssertTrue(r.stdout.contains("drawn for a dark background"), r.description)
    XCTAssertTrue(r.stdout.contains("--qr ansi"), r.description)
  }

  // MARK: - Too narrow a terminal

  /// A fixed issuer, so the code's size does not depend on the host name: its URI is
  /// over 100 characters, a code of at least 41 modules and 49 columns.
  func testTooNarrowTerminalDrawsNoCodeAndSaysWhatToDo() throws {
    let r = try run(["enrol", "alice", "--issuer", "Example", "--qr", "ansi"], env: ["COLUMNS": "40"])
    assertExit(r, 0, "the authenticator is enrolled; only the drawing is left out")
    XCTAssertTrue(TerminalScreen.qrLines(r.stdout).isEmpty, "no wrapped code\n\(r)")
    XCTAssertNotNil(uri(in: r.stdout), "the URI and secret are still printed")
    XCTAssertTrue(r.stderr.contains("QR code not drawn"), r.description)
    XCTAssertTrue(r.stderr.contains("terminal has 40"), r.description)
    XCTAssertTrue(r.stderr.contains("--qr-png"), r.description)
    XCTAssertTrue(r.stderr.contains("--qr-svg"), r.description)
    XCTAssertEqual((try show("alice")["authenticators"] as? [[String: Any]])?.count, 1)
  }

  func testTerminalWindowSizeWinsAndAWideEnoughOneDraws() throws {
    // The window size (TIOCGWINSZ) of a 40-column terminal, whatever $COLUMNS says.
    let narrow = try runOnTerminal(["enrol", "alice", "--issuer", "Example"], columns: 40, env: ["COLUMNS": "300"])
    XCTAssertEqual(narrow.code, 0, narrow.description)
    XCTAssertTrue(TerminalScreen.qrLines(narrow.stdout).isEmpty, narrow.description)
    XCTAssertTrue(narrow.stdout.contains("terminal has 40"), narrow.description)

    // Exactly as wide as the code: drawn, and it scans.
    // (Same issuer and user name length, so the same code size.)
    let probe = try run(["enrol", "bob", "--issuer", "Example", "--qr", "utf8"])
    let width = try XCTUnwrap(TerminalScreen.qrLines(probe.stdout).first).count
    let fits = try runOnTerminal(["enrol", "eve", "--issuer", "Example"], columns: width, env: ["NO_COLOR": nil])
    XCTAssertEqual(fits.code, 0, fits.description)
    XCTAssertFalse(fits.stdout.contains("not drawn"), fits.description)
    XCTAssertEqual(try decode(fits.stdout, on: .light), try XCTUnwrap(uri(in: fits.stdout)))
  }

  func testNoWidthCheckWithoutAKnownWidth() throws {
    let r = try run(["enrol", "alice", "--qr", "utf8"], env: ["COLUMNS": nil])
    assertExit(r, 0)
    XCTAssertFalse(TerminalScreen.qrLines(r.stdout).isEmpty, r.description)
    XCTAssertEqual(r.stderr, "")
  }
}
