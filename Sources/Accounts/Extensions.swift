// Sections of a user record that features after the first keep in `User.extensions`
// (record format 1 preserves unknown sections byte for byte, so adding one needs no
// migration). The tags are part of the format: never renumber, only add.
import Sodium
import Vault

public enum ExtensionTag: UInt16 {
  case recoveryCodes = 1
  case devices = 2
  case sessions = 3
  case challenges = 4
  case policy = 5
}

extension User {
  /// The decoded section, or nil when the user has none.
  public func section<T>(_ tag: ExtensionTag, _ decode: (inout ByteReader) throws -> T) throws -> T? {
    guard let bytes = extensions[tag.rawValue] else { return nil }
    return try bytes.withUnsafeBytes { raw in
      var r = ByteReader(raw)
      let v = try decode(&r)
      try r.expectEnd()
      return v
    }
  }

  /// Stores a section; an empty encoding removes it.
  public mutating func setSection(_ tag: ExtensionTag, _ encode: (inout ByteWriter) -> Void) {
    var w = ByteWriter()
    encode(&w)
    if w.bytes.isEmpty {
      extensions[tag.rawValue] = nil
    } else {
      extensions[tag.rawValue] = w.bytes
    }
  }
}

/// Bearer tokens for sessions (`mfas_`) and trusted devices (`mfad_`): a type prefix and
/// URL-safe base64 of 32 random bytes, so they never start with '-' and a secret
/// scanner can recognise a leaked one. Only their keyed hash is stored.
public enum Token {
  public enum Kind: String {
    case session = "mfas_"
    case device = "mfad_"
  }

  public static func generate(_ kind: Kind) -> String {
    kind.rawValue + base64URL(Sodium.randomBytes(32))
  }

  /// Whether `text` has the shape of a token of `kind` (prefix, 43 URL-safe characters).
  public static func isWellFormed(_ text: String, _ kind: Kind) -> Bool {
    guard text.hasPrefix(kind.rawValue) else { return false }
    let body = text.utf8.dropFirst(kind.rawValue.utf8.count)
    return body.count == 43
      && body.allSatisfy { c in
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x5F
      }
  }

  /// BLAKE2b-256 keyed with the vault's token subkey (Subkey.tokens).
  public static func hash(_ token: String, key: SecureBytes) -> [UInt8] {
    Sodium.blake2b(Array(token.utf8), key: key, length: 32)
  }

  static func base64URL(_ bytes: [UInt8]) -> String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    var out: [UInt8] = []
    var i = 0
    while i + 3 <= bytes.count {
      let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
      for shift in [18, 12, 6, 0] { out.append(alphabet[Int((n >> UInt32(shift)) & 63)]) }
      i += 3
    }
    let rest = bytes.count - i
    if rest > 0 {
      var n = UInt32(bytes[i]) << 16
      if rest == 2 { n |= UInt32(bytes[i + 1]) << 8 }
      let chars = rest == 1 ? 2 : 3
      for k in 0..<chars { out.append(alphabet[Int((n >> UInt32(18 - 6 * k)) & 63)]) }
    }
    return String(decoding: out, as: UTF8.self)
  }
}

/// Durations as the contract writes them: `90s`, `30m`, `24h`, `30d` (a bare number is
/// seconds). Positive, at most 10 years. (Not `Duration`: that is the standard library's.)
public enum TimeSpan {
  public static func parse(_ text: String) -> Int64? {
    guard let last = text.last else { return nil }
    var digits = Substring(text)
    var unit: Int64 = 1
    switch last {
    case "s": unit = 1
    case "m": unit = 60
    case "h": unit = 3600
    case "d": unit = 86400
    case "0"..."9": unit = 1
    default: return nil
    }
    if !last.isNumber { digits = digits.dropLast() }
    guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int64(digits), n > 0 else {
      return nil
    }
    let (v, overflow) = n.multipliedReportingOverflow(by: unit)
    guard !overflow, v <= 10 * 365 * 86400 else { return nil }
    return v
  }
}
