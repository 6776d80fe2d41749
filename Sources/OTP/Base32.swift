/// RFC 4648 base32 (the "A-Z2-7" alphabet), the encoding of secrets in otpauth URIs.
public enum Base32 {
  private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

  /// The '=' count that completes a final group of n characters; nil marks lengths no
  /// whole number of bytes encodes to (5 bits per character, 8 per byte).
  private static let paddingForRemainder: [Int?] = [0, nil, 6, nil, 4, 3, nil, 1]

  public static func encode(_ bytes: [UInt8], padding: Bool = false) -> String {
    var out: [UInt8] = []
    out.reserveCapacity((bytes.count + 4) / 5 * 8)
    var buffer: UInt32 = 0
    var bits = 0
    for byte in bytes {
      buffer = buffer << 8 | UInt32(byte)
      bits += 8
      while bits >= 5 {
        bits -= 5
        out.append(alphabet[Int(buffer >> UInt32(bits) & 0x1F)])
      }
    }
    if bits > 0 {
      out.append(alphabet[Int(buffer << UInt32(5 - bits) & 0x1F)])
    }
    if padding, let pad = paddingForRemainder[out.count % 8] {
      out += [UInt8](repeating: UInt8(ascii: "="), count: pad)
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Case-insensitive; ignores spaces (and hyphens) and tolerates missing or correct '=' padding; throws OTPError for any other character, wrong padding, impossible lengths (e.g. 1, 3, 6 chars mod 8) or non-zero trailing bits
  ///
  /// Positions in errors are 1-based and count every character of `text`, including
  /// ignored spaces, so they point at what the user actually typed. Non-zero trailing
  /// bits are refused because they mean the text was not produced by an encoder (a
  /// typo in the last character, most likely) and would make two texts decode alike.
  public static func decode(_ text: String) throws -> [UInt8] {
    var values: [UInt8] = []
    values.reserveCapacity(text.utf8.count)
    var padCount = 0
    var lastDataPosition = 0
    var position = 0
    for character in text {
      position += 1
      if character == " " || character == "-" { continue }
      if character == "=" {
        padCount += 1
        continue
      }
      guard let value = value(of: character) else {
        throw OTPError.invalidBase32Character(character, position: position)
      }
      if padCount > 0 { throw OTPError.base32DataAfterPadding(position: position) }
      values.append(value)
      lastDataPosition = position
    }

    guard let expectedPadding = paddingForRemainder[values.count % 8] else {
      throw OTPError.invalidBase32Length(values.count)
    }
    if padCount != 0 && padCount != expectedPadding {
      throw OTPError.invalidBase32Padding(found: padCount, expected: expectedPadding)
    }

    var out: [UInt8] = []
    out.reserveCapacity(values.count * 5 / 8)
    var buffer: UInt32 = 0
    var bits = 0
    for value in values {
      buffer = buffer << 5 | UInt32(value)
      bits += 5
      if bits >= 8 {
        bits -= 8
        out.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
      }
    }
    if bits > 0 && buffer & ((1 << UInt32(bits)) - 1) != 0 {
      throw OTPError.base32TrailingBits(position: lastDataPosition)
    }
    return out
  }

  /// "ABCD EFGH IJKL ..." groups of 4 for typing by hand
  ///
  /// Existing spaces are dropped first, so grouping an already grouped string is harmless.
  public static func grouped(_ encoded: String) -> String {
    var out = ""
    var count = 0
    for character in encoded where character != " " {
      if count > 0 && count % 4 == 0 { out.append(" ") }
      out.append(character)
      count += 1
    }
    return out
  }

  private static func value(of character: Character) -> UInt8? {
    guard let ascii = character.asciiValue else { return nil }
    switch ascii {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"): return ascii - UInt8(ascii: "A")
    case UInt8(ascii: "a")...UInt8(ascii: "z"): return ascii - UInt8(ascii: "a")
    case UInt8(ascii: "2")...UInt8(ascii: "7"): return ascii - UInt8(ascii: "2") + 26
    default: return nil
    }
  }
}
