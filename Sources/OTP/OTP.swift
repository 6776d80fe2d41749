import Sodium

/// RFC 4226 HMAC-based one-time passwords.
public enum HOTP {
  /// The code lengths this library computes. RFC 4226 requires at least 6; beyond 9 the
  /// 31-bit truncated value no longer covers the whole range, so the digits are biased.
  public static let supportedDigits = 6...9

  /// The highest HOTP counter mfactl takes or stores (2^63 - 1): counters are
  /// `0 <= c < 2^63`, so a counter, an offset between two and any `c + window` fit in an
  /// Int64 without overflow. Larger values in a URI or file are bad data.
  public static let maxCounter: UInt64 = UInt64(Int64.max)

  /// RFC 4226: dynamic truncation, 6...9 digits (mfactl uses 6 or 8), zero-padded.
  /// A digit count outside `supportedDigits` is a programming error and traps.
  public static func code(secret: [UInt8], counter: UInt64, algorithm: OTPAlgorithm, digits: Int) -> String {
    Generator(secret: secret, algorithm: algorithm, digits: digits).code(counter: counter)
  }

  /// Codes of one secret for several counters (a verify's window): for SHA-1 the key's
  /// HMAC pads are compressed once, which halves the work per code (bench/README.md).
  /// It holds that key-derived state as long as it lives, like the secret it came from.
  public struct Generator {
    private enum Key {
      case sha1(SHA1.HMACKey)
      case other(OTPAlgorithm, [UInt8])
    }
    private let key: Key
    private let digits: Int

    public init(secret: [UInt8], algorithm: OTPAlgorithm, digits: Int) {
      precondition(supportedDigits.contains(digits), "HOTP digits must be 6...9, got \(digits)")
      self.key = algorithm == .sha1 ? .sha1(SHA1.HMACKey(secret)) : .other(algorithm, secret)
      self.digits = digits
    }

    public func code(counter: UInt64) -> String {
      String(unsafeUninitializedCapacity: digits) { buffer in
        write(counter: counter, into: UnsafeMutableRawBufferPointer(buffer))
        return digits
      }
    }

    /// Whether `typed` (ASCII digits, spaces already removed) is the code for `counter`.
    /// The expected digits are made in a stack buffer, compared in constant time and
    /// wiped; nothing is allocated (a HOTP verify checks 21 counters).
    public func matches(_ typed: [UInt8], counter: UInt64) -> Bool {
      guard typed.count == digits else { return false }
      return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: digits) { buffer in
        let expected = UnsafeMutableRawBufferPointer(buffer)
        write(counter: counter, into: expected)
        let same = typed.withUnsafeBytes { Sodium.constantTimeEqual(UnsafeRawBufferPointer(expected), $0) }
        Sodium.wipe(expected)
        return same
      }
    }

    /// The code's ASCII digits, zero-padded, into the first `digits` bytes of `out`.
    private func write(counter: UInt64, into out: UnsafeMutableRawBufferPointer) {
      var value = self.value(counter: counter)
      for i in stride(from: digits - 1, through: 0, by: -1) {
        out[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value % 10)
        value /= 10
      }
    }

    /// The code as a number (below 10^digits).
    private func value(counter: UInt64) -> UInt32 {
      var modulus: UInt32 = 1
      for _ in 0..<digits { modulus *= 10 }
      var message = counter.bigEndian
      switch key {
      case .sha1(let hmacKey):
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: SHA1.digestLength) { buffer in
          let mac = UnsafeMutableRawBufferPointer(buffer)
          withUnsafeBytes(of: &message) { hmacKey.authenticate($0, into: mac) }
          defer { Sodium.wipe(mac) }
          return HOTP.truncate(UnsafeRawBufferPointer(mac)) % modulus
        }
      case .other(let algorithm, let secret):
        var mac = HOTP.hmac(algorithm, key: secret, message: withUnsafeBytes(of: &message) { Array($0) })
        defer { Sodium.wipe(&mac) }
        return mac.withUnsafeBytes { HOTP.truncate($0) } % modulus
      }
    }
  }

  /// Dynamic truncation (RFC 4226 section 5.3): the low nibble of the last byte picks
  /// four bytes; the top bit is dropped so signed and unsigned readers agree.
  static func truncate(_ mac: UnsafeRawBufferPointer) -> UInt32 {
    let offset = Int(mac[mac.count - 1] & 0x0F)
    return (UInt32(mac[offset]) & 0x7F) << 24 | UInt32(mac[offset + 1]) << 16
      | UInt32(mac[offset + 2]) << 8 | UInt32(mac[offset + 3])
  }

  public static func hmac(_ algorithm: OTPAlgorithm, key: [UInt8], message: [UInt8]) -> [UInt8] {
    switch algorithm {
    case .sha1:
      return SHA1.hmac(key: key, message: message)
    case .sha256:
      return key.withUnsafeBytes { k in message.withUnsafeBytes { m in Sodium.hmacSHA256(key: k, message: m) } }
    case .sha512:
      return key.withUnsafeBytes { k in message.withUnsafeBytes { m in Sodium.hmacSHA512(key: k, message: m) } }
    }
  }
}

/// RFC 6238 time-based one-time passwords (T0 = 0).
public enum TOTP {
  /// RFC 6238 step for a Unix time (Int64, works after 2038 and for negative times floor-divides), period seconds > 0
  ///
  /// RFC 6238 asks for floor((T - T0) / X). A time before 1970 therefore gives a negative
  /// step, returned as its two's-complement bit pattern so the result is still a total,
  /// deterministic function (oathtool truncates towards zero there instead). Only a badly
  /// wrong clock produces such times.
  public static func step(at unixTime: Int64, period: UInt32) -> UInt64 {
    precondition(period > 0, "TOTP period must be positive")
    let p = Int64(period)
    var quotient = unixTime / p
    if unixTime % p != 0 && unixTime < 0 { quotient -= 1 }
    return UInt64(bitPattern: quotient)
  }

  public static func code(secret: [UInt8], at unixTime: Int64, period: UInt32, algorithm: OTPAlgorithm, digits: Int)
    -> String
  {
    HOTP.code(secret: secret, counter: step(at: unixTime, period: period), algorithm: algorithm, digits: digits)
  }
}

public enum OTPCode {
  /// Normalises user input: strips spaces; returns nil unless it is all ASCII digits of exactly `digits` length.
  ///
  /// Spaces are allowed because apps show codes as "123 456". Other digit forms (Arabic-
  /// Indic, full-width) are refused rather than mapped, so what is compared is what was typed.
  public static func normalise(_ input: String, digits: Int) -> String? {
    var out: [UInt8] = []
    for byte in input.utf8 where byte != UInt8(ascii: " ") {
      guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
      out.append(byte)
    }
    guard out.count == digits, digits > 0 else { return nil }
    return String(decoding: out, as: UTF8.self)
  }

  /// Constant-time comparison of two code strings.
  ///
  /// The time taken depends only on the lengths, which are public (the digit count), so
  /// a caller timing failures learns nothing about how many leading digits matched.
  public static func equal(_ a: String, _ b: String) -> Bool {
    Sodium.constantTimeEqual(Array(a.utf8), Array(b.utf8))
  }
}
