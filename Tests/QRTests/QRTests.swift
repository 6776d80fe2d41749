import CPNG  // zlib's uncompress/crc32, to check the PNG independently of libpng
import Foundation
#if canImport(FoundationXML)
  import FoundationXML
#endif
import XCTest

@testable import QR

// MARK: - Fixtures

/// RFC 4648 base32 without padding, as otpauth URIs carry secrets. Written out here so the
/// tests do not depend on the OTP target.
private func base32(_ bytes: [UInt8]) -> String {
  let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
  var out = ""
  var buffer = 0
  var bits = 0
  for byte in bytes {
    buffer = (buffer << 8) | Int(byte)
    bits += 8
    while bits >= 5 {
      out.append(alphabet[(buffer >> (bits - 5)) & 31])
      bits -= 5
    }
  }
  if bits > 0 { out.append(alphabet[(buffer << (5 - bits)) & 31]) }
  return out
}

/// Deterministic "random-looking" secret bytes of the given length.
private func secret(_ count: Int, seed: UInt8) -> [UInt8] {
  (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 73 &+ Int(seed) &* 151 &+ 17) }
}

private let sha1URI =
  "otpauth://totp/Example:alice@example.com?secret=\(base32(secret(20, seed: 1)))"
  + "&issuer=Example&algorithm=SHA1&digits=6&period=30"
private let sha256URI =
  "otpauth://totp/Example:bob?secret=\(base32(secret(32, seed: 2)))"
  + "&issuer=Example&algorithm=SHA256&digits=8&period=30"
private let sha512URI =
  "otpauth://totp/ACME%20Co:carol.smith?secret=\(base32(secret(64, seed: 3)))"
  + "&issuer=ACME%20Co&algorithm=SHA512&digits=8&period=60"
private let hotpURI =
  "otpauth://hotp/Example:dave?secret=\(base32(secret(20, seed: 4)))"
  + "&issuer=Example&algorithm=SHA1&digits=6&counter=42"
/// Issuer "Société Générale – Sécurité Informatique" and account "jürgen.müller+2fa@…",
/// percent-encoded with spaces as %20.
private let longLabelURI =
  "otpauth://totp/Soci%C3%A9t%C3%A9%20G%C3%A9n%C3%A9rale%20%E2%80%93%20S%C3%A9curit%C3%A9"
  + "%20Informatique:j%C3%BCrgen.m%C3%BCller%2B2fa%40example.com?secret="
  + base32(secret(32, seed: 5))
  + "&issuer=Soci%C3%A9t%C3%A9%20G%C3%A9n%C3%A9rale%20%E2%80%93%20S%C3%A9curit%C3%A9"
  + "%20Informatique&algorithm=SHA256&digits=6&period=30"

private let allURIs = [sha1URI, sha256URI, sha512URI, hotpURI, longLabelURI]

// MARK: - Parsers for the renderings (independent of the renderer's code)

/// A module grid with the quiet zone, as reconstructed from a rendering: [y][x], true = dark.
private typealias Grid = [[Bool]]

/// The symbol's modules padded with the 4-module quiet zone.
private func expectedGrid(_ symbol: QRSymbol) -> Grid {
  let q = QRRenderer.quietZone
  let side = symbol.size + 2 * q
  return (0..<side).map { y in (0..<side).map { x in symbol.isDark(x: x - q, y: y - q) } }
}

private struct PNGChunk {
  let type: String
  let data: [UInt8]
}

private func bigEndian32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
  bytes.reduce(0) { ($0 << 8) | UInt32($1) }
}

final class QRTests: XCTestCase {
  private var tempDir: URL!

  override func setUpWithError() throws {
    tempDir = FileManager.default.temporaryDirectory
      .appendingPathComponent("qrtests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: tempDir, withIntermediateDirectories: false)
  }

  override func tearDownWithError() throws {
    if let tempDir { try? FileManager.default.removeItem(at: tempDir) }
  }

  // MARK: Helpers

  private func zbarimgPath() -> String? {
    let candidates =
      ["/usr/bin/zbarimg", "/usr/local/bin/zbarimg"]
      + (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map {
        "\($0)/zbarimg"
      }
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
  }

  /// Writes the PNG to the temp dir and returns what zbarimg decodes from it.
  private func zbarDecode(
    _ png: [UInt8], name: String, file: StaticString = #filePath,
    line: UInt = #line
  ) throws -> String? {
    guard let zbarimg = zbarimgPath() else {
      XCTFail("zbarimg not found (Debian package zbar-tools): run `make deps`", file: file, line: line)
      return nil
    }
    let url = tempDir.appendingPathComponent(name)
    try Data(png).write(to: url)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: zbarimg)
    process.arguments = ["--raw", "-q", url.path]
    let stdout = Pipe()
    process.standardOutput = stdout
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    XCTAssertEqual(process.terminationStatus, 0, "zbarimg found no code in \(name)", file: file, line: line)
    var text = String(decoding: data, as: UTF8.self)
    // zbarimg --raw ends each decoded symbol with one newline.
    if text.hasSuffix("\n") { text.removeLast() }
    return text
  }

  private func chunks(_ png: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> [PNGChunk] {
    var result: [PNGChunk] = []
    var offset = 8
    while offset + 12 <= png.count {
      let length = Int(bigEndian32(png[offset..<(offset + 4)]))
      guard offset + 12 + length <= png.count else {
        XCTFail("truncated chunk", file: file, line: line)
        break
      }
      let typeBytes = Array(png[(offset + 4)..<(offset + 8)])
      let data = Array(png[(offset + 8)..<(offset + 8 + length)])
      let storedCRC = bigEndian32(png[(offset + 8 + length)..<(offset + 12 + length)])
      let crc = (typeBytes + data).withUnsafeBufferPointer {
        UInt32(crc32(0, $0.baseAddress, uInt($0.count)))
      }
      let type = String(decoding: typeBytes, as: UTF8.self)
      XCTAssertEqual(crc, storedCRC, "CRC of \(type)", file: file, line: line)
      result.append(PNGChunk(type: type, data: data))
      offset += 12 + length
    }
    XCTAssertEqual(offset, png.count, "trailing bytes after the last chunk", file: file, line: line)
    return result
  }

  /// Decodes the PNG's pixels with zlib (not libpng) and samples the centre of each module.
  private func pngGrid(_ png: [UInt8], side: Int, scale: Int) -> Grid {
    let all = chunks(png)
    let idat = all.filter { $0.type == "IDAT" }.flatMap { $0.data }
    let width = side * scale
    let stride = 1 + (width + 7) / 8  // filter byte + packed row
    var raw = [UInt8](repeating: 0, count: stride * width)
    var rawLength = uLongf(raw.count)
    let status = raw.withUnsafeMutableBufferPointer { out in
      idat.withUnsafeBufferPointer { input in
        uncompress(out.baseAddress, &rawLength, input.baseAddress, uLong(input.count))
      }
    }
    XCTAssertEqual(status, Z_OK)
    XCTAssertEqual(Int(rawLength), raw.count)
    var rows: [[UInt8]] = []
    var previous = [UInt8](repeating: 0, count: stride - 1)
    for y in 0..<width {
      let filter = raw[y * stride]
      var row = Array(raw[(y * stride + 1)..<((y + 1) * stride)])
      // 1-bit images: bpp rounds up to 1 byte for Sub/Average/Paeth.
      for i in row.indices {
        let left = i > 0 ? row[i - 1] : 0
        let up = previous[i]
        let upLeft = i > 0 ? previous[i - 1] : 0
        switch filter {
        case 0: break
        case 1: row[i] &+= left
        case 2: row[i] &+= up
        case 3: row[i] &+= UInt8((Int(left) + Int(up)) / 2)
        case 4:
          let p = Int(left) + Int(up) - Int(upLeft)
          let pa = abs(p - Int(left)), pb = abs(p - Int(up)), pc = abs(p - Int(upLeft))
          row[i] &+= (pa <= pb && pa <= pc) ? left : (pb <= pc ? up : upLeft)
        default: XCTFail("unknown filter \(filter)")
        }
      }
      rows.append(row)
      previous = row
    }
    func black(_ x: Int, _ y: Int) -> Bool { rows[y][x >> 3] & (0x80 >> UInt8(x & 7)) == 0 }
    // Every pixel of a module must agree, not only the centre: check all of them.
    var uniform = true
    let grid = (0..<side).map { my in
      (0..<side).map { mx in
        let value = black(mx * scale, my * scale)
        for py in (my * scale)..<((my + 1) * scale) {
          for px in (mx * scale)..<((mx + 1) * scale) where black(px, py) != value {
            uniform = false
          }
        }
        return value
      }
    }
    XCTAssertTrue(uniform, "every pixel of a module has the module's colour")
    return grid
  }

  /// Reconstructs the padded module grid from `utf8` output; the last line's lower half
  /// must be empty. Light = block drawn (the `qrencode -t UTF8` convention).
  private func utf8Grid(
    _ text: String, side: Int, file: StaticString = #filePath,
    line: UInt = #line
  ) -> Grid {
    XCTAssertTrue(text.hasSuffix("\n"), file: file, line: line)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    XCTAssertEqual(lines.count, (side + 1) / 2, "line count", file: file, line: line)
    var grid = Grid(repeating: [Bool](repeating: false, count: side), count: side + 1)
    for (index, textLine) in lines.enumerated() {
      let scalars = Array(textLine.unicodeScalars)
      XCTAssertEqual(scalars.count, side, "width of line \(index)", file: file, line: line)
      for (x, scalar) in scalars.enumerated() where x < side {
        let (topLight, bottomLight): (Bool, Bool)
        switch scalar {
        case "\u{2588}": (topLight, bottomLight) = (true, true)
        case "\u{2580}": (topLight, bottomLight) = (true, false)
        case "\u{2584}": (topLight, bottomLight) = (false, true)
        case " ": (topLight, bottomLight) = (false, false)
        default:
          XCTFail("unexpected character U+\(String(scalar.value, radix: 16))", file: file, line: line)
          continue
        }
        grid[2 * index][x] = !topLight
        grid[2 * index + 1][x] = !bottomLight
      }
    }
    // Row `side` is the half below the symbol: nothing may be drawn there.
    XCTAssertTrue(grid[side].allSatisfy { $0 }, "last line's lower half must be empty", file: file, line: line)
    return Array(grid.prefix(side))
  }

  /// Reconstructs the padded grid from `ansi` output: "▀" cells, foreground = upper module,
  /// background = lower module; colour 16 = dark, 231 = light.
  private func ansiGrid(
    _ text: String, side: Int, file: StaticString = #filePath,
    line: UInt = #line
  ) -> Grid {
    XCTAssertTrue(text.hasSuffix("\n"), file: file, line: line)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    XCTAssertEqual(lines.count, (side + 1) / 2, "line count", file: file, line: line)
    var grid = Grid(repeating: [Bool](repeating: false, count: side), count: side)
    for (index, textLine) in lines.enumerated() {
      XCTAssertTrue(textLine.hasSuffix("\u{1B}[0m"), "line \(index) must end with a reset", file: file, line: line)
      let scalars = Array(textLine.unicodeScalars)
      var foreground: String? = nil
      var background: String? = nil
      var x = 0
      var i = 0
      while i < scalars.count {
        if scalars[i] == "\u{1B}" {
          XCTAssertTrue(i + 1 < scalars.count && scalars[i + 1] == "[", file: file, line: line)
          var j = i + 2
          var parameters = ""
          while j < scalars.count, scalars[j] != "m" {
            parameters.unicodeScalars.append(scalars[j])
            j += 1
          }
          switch parameters {
          case "38;5;16", "38;5;231": foreground = parameters
          case "48;5;16", "48;5;231", "49": background = parameters
          case "0": foreground = nil; background = nil
          default: XCTFail("unexpected escape \(parameters)", file: file, line: line)
          }
          i = j + 1
          continue
        }
        XCTAssertEqual(scalars[i], "\u{2580}", "only upper half blocks are drawn", file: file, line: line)
        XCTAssertNotNil(foreground, file: file, line: line)
        XCTAssertNotNil(background, file: file, line: line)
        if x < side {
          grid[2 * index][x] = foreground == "38;5;16"
          if 2 * index + 1 < side {
            grid[2 * index + 1][x] = background == "48;5;16"
            XCTAssertNotEqual(background, "49", file: file, line: line)
          } else {
            XCTAssertEqual(background, "49", "below the symbol: default background", file: file, line: line)
          }
        }
        x += 1
        i += 1
      }
      XCTAssertEqual(x, side, "visible width of line \(index)", file: file, line: line)
    }
    return grid
  }

  /// Parses the single `<path d="...">` of `svg` output (absolute M, relative h/v, z) and
  /// fills the unit squares each closed subpath covers.
  private func svgGrid(
    _ svg: String, side: Int, file: StaticString = #filePath,
    line: UInt = #line
  ) -> Grid {
    var grid = Grid(repeating: [Bool](repeating: false, count: side), count: side)
    let paths = svg.components(separatedBy: "<path ")
    XCTAssertEqual(paths.count, 2, "exactly one <path>", file: file, line: line)
    guard paths.count == 2, let dStart = paths[1].range(of: " d=\"") else { return grid }
    let rest = paths[1][dStart.upperBound...]
    let d = String(rest[..<rest.firstIndex(of: "\"")!])

    // Tokenise into commands and signed integers.
    var tokens: [String] = []
    var number = ""
    for ch in d {
      if ch.isNumber || (ch == "-" && number.isEmpty) {
        number.append(ch)
      } else {
        if !number.isEmpty { tokens.append(number); number = "" }
        if ch.isLetter { tokens.append(String(ch)) } else if ch == "-" { number = "-" }
      }
    }
    if !number.isEmpty { tokens.append(number) }

    var i = 0
    func next() -> Int { defer { i += 1 }; return Int(tokens[i])! }
    while i < tokens.count {
      // Each subpath must be exactly: M x y h w v 1 h -w z
      XCTAssertEqual(tokens[i], "M", file: file, line: line); i += 1
      let x = next(), y = next()
      XCTAssertEqual(tokens[i], "h", file: file, line: line); i += 1
      let w = next()
      XCTAssertEqual(tokens[i], "v", file: file, line: line); i += 1
      XCTAssertEqual(next(), 1, file: file, line: line)
      XCTAssertEqual(tokens[i], "h", file: file, line: line); i += 1
      XCTAssertEqual(next(), -w, file: file, line: line)
      XCTAssertEqual(tokens[i], "z", file: file, line: line); i += 1
      XCTAssertGreaterThan(w, 0, file: file, line: line)
      for cx in x..<(x + w) {
        XCTAssertFalse(grid[y][cx], "module (\(cx), \(y)) covered twice", file: file, line: line)
        grid[y][cx] = true
      }
      // Runs are maximal: the module just right of a run is light.
      if x + w < side { XCTAssertFalse(grid[y][x + w], file: file, line: line) }
    }
    return grid
  }

  // MARK: Symbol

  func testSymbolBasics() throws {
    let symbol = try QRSymbol(encoding: sha1URI)
    XCTAssertEqual(symbol.size, 17 + 4 * symbol.version)
    XCTAssertTrue((21...177).contains(symbol.size))
    // Finder pattern corner modules are dark; outside the symbol is light.
    XCTAssertTrue(symbol.isDark(x: 0, y: 0))
    XCTAssertTrue(symbol.isDark(x: symbol.size - 1, y: 0))
    XCTAssertTrue(symbol.isDark(x: 0, y: symbol.size - 1))
    for (x, y) in [(-1, 0), (0, -1), (symbol.size, 0), (0, symbol.size), (-5, 500)] {
      XCTAssertFalse(symbol.isDark(x: x, y: y))
    }
    // Deterministic.
    let again = try QRSymbol(encoding: sha1URI)
    XCTAssertEqual(expectedGrid(symbol), expectedGrid(again))
  }

  /// Reads the format information (both copies) and checks it says error-correction level M.
  func testErrorCorrectionLevelIsM() throws {
    for text in [sha1URI, longLabelURI, "x"] {
      let s = try QRSymbol(encoding: text)
      let n = s.size
      func bit(_ x: Int, _ y: Int) -> Int { s.isDark(x: x, y: y) ? 1 : 0 }
      var first = 0
      var second = 0
      for i in 0..<15 {
        // First copy, around the top-left finder pattern (bit 0 at (8,0)).
        let (x1, y1): (Int, Int) =
          i < 6 ? (8, i) : i == 6 ? (8, 7) : i == 7 ? (8, 8) : i == 8 ? (7, 8) : (14 - i, 8)
        // Second copy, split between the top-right and bottom-left finder patterns.
        let (x2, y2): (Int, Int) = i < 8 ? (n - 1 - i, 8) : (8, n - 15 + i)
        first |= bit(x1, y1) << i
        second |= bit(x2, y2) << i
      }
      XCTAssertEqual(first, second, "both format-information copies agree")
      let unmasked = first ^ 0x5412
      // BCH(15,5) with generator 0x537 must check out, or the positions above are wrong.
      var remainder = (unmasked >> 10) << 10
      for b in stride(from: 14, through: 10, by: -1) where remainder & (1 << b) != 0 {
        remainder ^= 0x537 << (b - 10)
      }
      XCTAssertEqual(remainder, unmasked & 0x3FF, "format BCH code")
      XCTAssertEqual(unmasked >> 13, 0b00, "error-correction level indicator 00 = M")
    }
  }

  func testEmptyTextThrows() {
    XCTAssertThrowsError(try QRSymbol(encoding: "")) { error in
      XCTAssertEqual(error as? QRError, .emptyText)
    }
  }

  func testTextTooLongThrows() throws {
    XCTAssertThrowsError(try QRSymbol(encoding: String(repeating: "a", count: 3000))) { error in
      XCTAssertEqual(error as? QRError, .textTooLong)
      XCTAssertEqual("\(error)", "text too long for a QR code")
    }
    // Version 40 at level M holds 2,331 bytes in 8-bit mode: the exact boundary.
    let largest = try QRSymbol(encoding: String(repeating: "\u{7F}", count: 2331))
    XCTAssertEqual(largest.version, 40)
    XCTAssertEqual(largest.size, 177)
    XCTAssertThrowsError(try QRSymbol(encoding: String(repeating: "\u{7F}", count: 2332))) { error in
      XCTAssertEqual(error as? QRError, .textTooLong)
    }
  }

  func testNULBytesAreEncoded() throws {
    // encodeData takes a length, so text after U+0000 is not cut off: a longer text
    // needs more capacity than the part before the NUL alone.
    let prefix = String(repeating: "a", count: 10)
    let withNUL = try QRSymbol(encoding: prefix + "\u{0}" + String(repeating: "b", count: 200))
    let withoutTail = try QRSymbol(encoding: prefix)
    XCTAssertGreaterThan(withNUL.version, withoutTail.version)
  }

  func testErrorDescriptionsAreLowercase() {
    let errors: [QRError] = [
      .emptyText, .textTooLong, .encodingFailed("out of memory"), .invalidScale(0),
      .pngEncodingFailed("x"), .libraryUnavailable("libqrencode.so.4: cannot open shared object file"),
      .loadingRefused("this mfactl is linked statically with another glibc build"),
    ]
    for error in errors {
      let text = error.description
      XCTAssertFalse(text.isEmpty)
      XCTAssertEqual(text.first.map { String($0) }, text.first.map { String($0).lowercased() })
    }
    XCTAssertTrue(QRError.pngEncodingFailed("boom").description.hasPrefix("could not encode PNG: "))
    XCTAssertTrue(QRError.invalidScale(65).description.contains("65"))
  }

  // MARK: Terminal

  func testUTF8LayoutMatchesModules() throws {
    for text in [sha1URI, hotpURI, longLabelURI] {
      let symbol = try QRSymbol(encoding: text)
      let side = symbol.size + 8
      let output = QRRenderer.utf8(symbol)
      XCTAssertFalse(output.contains("\u{1B}"), "no escape codes")
      let grid = utf8Grid(output, side: side)
      XCTAssertEqual(grid, expectedGrid(symbol))
      // The quiet zone is light, i.e. drawn as blocks: the first line is all full blocks.
      XCTAssertEqual(output.prefix(while: { $0 != "\n" }), Substring(String(repeating: "\u{2588}", count: side)))
    }
  }

  func testANSILayoutMatchesModules() throws {
    for text in [sha256URI, longLabelURI] {
      let symbol = try QRSymbol(encoding: text)
      let output = QRRenderer.ansi(symbol)
      let grid = ansiGrid(output, side: symbol.size + 8)
      XCTAssertEqual(grid, expectedGrid(symbol))
    }
  }

  // MARK: SVG

  func testSVGMatchesModules() throws {
    for text in [sha512URI, longLabelURI] {
      let symbol = try QRSymbol(encoding: text)
      let side = symbol.size + 8
      let svg = QRRenderer.svg(symbol)
      XCTAssertTrue(svg.hasPrefix("<?xml"))
      XCTAssertTrue(svg.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""))
      XCTAssertTrue(svg.contains("viewBox=\"0 0 \(side) \(side)\""))
      XCTAssertTrue(svg.contains("shape-rendering=\"crispEdges\""))
      XCTAssertTrue(svg.contains("width=\"\(side * 8)\" height=\"\(side * 8)\""))
      XCTAssertTrue(svg.contains("<rect x=\"0\" y=\"0\" width=\"\(side)\" height=\"\(side)\" fill=\"#ffffff\"/>"))
      XCTAssertTrue(svg.hasSuffix("</svg>\n"))
      XCTAssertEqual(svgGrid(svg, side: side), expectedGrid(symbol))
      // Well-formed XML.
      XCTAssertNoThrow(try XMLDocument(xmlString: svg))
    }
    let symbol = try QRSymbol(encoding: "x")
    XCTAssertTrue(QRRenderer.svg(symbol, moduleSize: 3).contains("width=\"\((symbol.size + 8) * 3)\""))
    XCTAssertTrue(QRRenderer.svg(symbol, moduleSize: 0).contains("width=\"\(symbol.size + 8)\""))
  }

  // MARK: PNG

  func testPNGHeaderAndPixels() throws {
    for (text, scale) in [(sha1URI, 1), (hotpURI, 3), (longLabelURI, 8)] {
      let symbol = try QRSymbol(encoding: text)
      let side = symbol.size + 8
      let png = try QRRenderer.png(symbol, scale: scale)
      XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
      let all = chunks(png)
      XCTAssertEqual(all.first?.type, "IHDR")
      XCTAssertEqual(all.last?.type, "IEND")
      let ihdr = try XCTUnwrap(all.first?.data)
      XCTAssertEqual(ihdr.count, 13)
      XCTAssertEqual(Int(bigEndian32(ihdr[0..<4])), side * scale, "width")
      XCTAssertEqual(Int(bigEndian32(ihdr[4..<8])), side * scale, "height")
      XCTAssertEqual(ihdr[8], 1, "bit depth")
      XCTAssertEqual(ihdr[9], 0, "colour type greyscale")
      XCTAssertEqual(ihdr[12], 0, "not interlaced")
      XCTAssertEqual(pngGrid(png, side: side, scale: scale), expectedGrid(symbol))
    }
  }

  func testPNGDefaultScaleIs8() throws {
    let symbol = try QRSymbol(encoding: "x")
    XCTAssertEqual(try QRRenderer.png(symbol), try QRRenderer.png(symbol, scale: 8))
  }

  func testPNGScaleBounds() throws {
    let symbol = try QRSymbol(encoding: sha1URI)
    for bad in [0, -1, 65, Int.max, Int.min] {
      XCTAssertThrowsError(try QRRenderer.png(symbol, scale: bad)) { error in
        XCTAssertEqual(error as? QRError, .invalidScale(bad))
      }
    }
    for good in [1, 64] {
      let png = try QRRenderer.png(symbol, scale: good)
      let ihdr = try XCTUnwrap(chunks(png).first?.data)
      XCTAssertEqual(Int(bigEndian32(ihdr[0..<4])), (symbol.size + 8) * good)
    }
  }

  // MARK: Round trip through a real scanner

  func testZbarDecodesOtpauthURIs() throws {
    XCTAssertGreaterThan(longLabelURI.utf8.count, 200)
    for (index, uri) in allURIs.enumerated() {
      let png = try QRRenderer.png(try QRSymbol(encoding: uri))
      XCTAssertEqual(try zbarDecode(png, name: "uri-\(index).png"), uri)
    }
  }

  func testZbarDecodesSmallScales() throws {
    for scale in [2, 3] {
      let png = try QRRenderer.png(try QRSymbol(encoding: longLabelURI), scale: scale)
      XCTAssertEqual(try zbarDecode(png, name: "scale-\(scale).png"), longLabelURI)
    }
  }
}
