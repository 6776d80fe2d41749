/// An otpauth URI as defined by Google's Key Uri Format, the de-facto standard that
/// authenticator apps read from enrolment QR codes.
public struct OTPAuthURI: Equatable, Sendable {
  public static let minimumSecretLength = 10
  public static let maximumSecretLength = 1024
  public static let acceptedDigits: Set<Int> = [6, 8]
  public static let periodRange: ClosedRange<UInt32> = 1...86400

  public var type: OTPType
  public var secret: [UInt8]
  /// from the parameter, else the label prefix; nil when neither names one
  public var issuer: String?
  public var account: String
  /// default SHA1
  public var algorithm: OTPAlgorithm
  /// default 6; parsing accepts 6 or 8 only, the lengths mfactl offers and apps support
  public var digits: Int
  /// default 30 (TOTP only)
  public var period: UInt32
  /// HOTP only; required for hotp when parsing, at most `HOTP.maxCounter`
  public var counter: UInt64

  /// An empty issuer is stored as nil: the URI cannot tell the two apart.
  public init(
    type: OTPType, secret: [UInt8], issuer: String?, account: String, algorithm: OTPAlgorithm = .sha1,
    digits: Int = 6, period: UInt32 = 30, counter: UInt64 = 0
  ) {
    self.type = type
    self.secret = secret
    self.issuer = issuer?.isEmpty == true ? nil : issuer
    self.account = account
    self.algorithm = algorithm
    self.digits = digits
    self.period = period
    self.counter = counter
  }

  /// Key Uri Format: otpauth://TYPE/ISSUER:ACCOUNT?secret=BASE32NOPAD&issuer=..&algorithm=..&digits=..&period=.. (counter= for hotp, no period), label parts and parameter values percent-encoded (RFC 3986 unreserved kept), ':' between issuer and account unencoded
  ///
  /// algorithm, digits and period are always written, defaults included, so nothing
  /// depends on an app's idea of the defaults. With no issuer and a ':' in the account
  /// the label starts with ':' (an empty issuer), or a reader would take the part before
  /// the encoded ':' as the issuer.
  ///
  /// Parsing the result gives back an equal value, except where parsing is stricter or
  /// lenient by design: leading spaces of an account are trimmed, control characters,
  /// digits other than 6 or 8, a period outside 1...86400 and secrets outside 10...1024
  /// bytes are refused.
  public var uriString: String {
    var label = ""
    if let issuer = issuer, !issuer.isEmpty {
      label = percentEncode(issuer) + ":"
    } else if account.contains(":") {
      label = ":"
    }
    label += percentEncode(account)

    var uri = "otpauth://\(type.rawValue)/\(label)?secret=\(Base32.encode(secret))"
    if let issuer = issuer, !issuer.isEmpty { uri += "&issuer=" + percentEncode(issuer) }
    uri += "&algorithm=\(algorithm.rawValue)&digits=\(digits)"
    switch type {
    case .totp: uri += "&period=\(period)"
    case .hotp: uri += "&counter=\(counter)"
    }
    return uri
  }

  /// Parses and validates an otpauth URI; every malformed part is an `OTPError`.
  ///
  /// Accepted leniently, because real apps and services produce it: surrounding
  /// whitespace, any case in the scheme, type, parameter names and algorithm, raw
  /// (unencoded) non-ASCII characters and spaces, "%3A" as the issuer separator, spaces
  /// after the separator (leading spaces of the account are dropped), '+' for a space in
  /// the issuer parameter, '=' padding in the secret, unknown parameters (such as
  /// `image`), and `period` on hotp or `counter` on totp URIs (ignored). Refused: a duplicated parameter, an issuer parameter that
  /// contradicts the label, control characters in label or issuer, and '#'.
  public init(parsing text: String) throws {
    let bytes = Array(trimmingASCIIWhitespace(text).utf8)

    guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { throw OTPError.notOTPAuthURI }
    let scheme = String(decoding: bytes[..<colon], as: UTF8.self)
    guard scheme.lowercased() == "otpauth" else {
      if isPlausibleScheme(bytes[..<colon]) { throw OTPError.unsupportedScheme(scheme) }
      throw OTPError.notOTPAuthURI
    }
    let slashes = colon + 1..<colon + 3
    guard bytes.count >= slashes.upperBound, bytes[slashes].elementsEqual("//".utf8) else {
      throw OTPError.notOTPAuthURI
    }
    let rest = bytes[slashes.upperBound...]
    if rest.contains(UInt8(ascii: "#")) { throw OTPError.fragmentNotAllowed }

    let queryStart = rest.firstIndex(of: UInt8(ascii: "?"))
    let pathPart = rest[..<(queryStart ?? rest.endIndex)]
    let slash = pathPart.firstIndex(of: UInt8(ascii: "/"))
    let typeText = String(decoding: pathPart[..<(slash ?? pathPart.endIndex)], as: UTF8.self)
    guard !typeText.isEmpty else { throw OTPError.missingType }
    guard let type = OTPType(rawValue: typeText.lowercased()) else { throw OTPError.unsupportedType(typeText) }
    guard let slash = slash, slash + 1 < pathPart.endIndex else { throw OTPError.missingLabel }
    let (labelIssuer, account) = try parseLabel(pathPart[(slash + 1)...])

    var parameters: [String: ArraySlice<UInt8>] = [:]
    if let queryStart = queryStart {
      for field in rest[(queryStart + 1)...].split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
        let equals = field.firstIndex(of: UInt8(ascii: "=")) ?? field.endIndex
        let rawName = field[..<equals]
        let value = equals < field.endIndex ? field[(equals + 1)...] : field[field.endIndex...]
        let nameBytes = try percentDecode(rawName, part: "a parameter name", showEscape: true)
        let name = try utf8String(nameBytes, part: "a parameter name").lowercased()
        if parameters[name] != nil { throw OTPError.duplicateParameter(name) }
        parameters[name] = value
      }
    }

    guard let rawSecret = parameters["secret"] else { throw OTPError.missingSecret }
    let secretText = try utf8String(
      try percentDecode(rawSecret, part: "parameter 'secret'", showEscape: false), part: "parameter 'secret'")
    let secret: [UInt8]
    do {
      secret = try Base32.decode(secretText)
    } catch let error as OTPError {
      throw OTPError.invalidSecret(error)
    }
    if secret.isEmpty { throw OTPError.emptySecret }
    guard secret.count >= Self.minimumSecretLength else { throw OTPError.secretTooShort(bytes: secret.count) }
    guard secret.count <= Self.maximumSecretLength else { throw OTPError.secretTooLong(bytes: secret.count) }

    var issuer = labelIssuer
    if let raw = parameters["issuer"] {
      let part = "parameter 'issuer'"
      let literal = try checkedText(try percentDecode(raw, part: part, showEscape: true), part: part)
      // Form encoding writes a space as '+'; many generators use it for the issuer.
      let formDecoded = try checkedText(
        try percentDecode(raw, part: part, showEscape: true, plusIsSpace: true), part: part)
      // An empty parameter says nothing, like an absent one.
      if !formDecoded.isEmpty {
        if let fromLabel = labelIssuer {
          guard fromLabel == formDecoded || fromLabel == literal else {
            throw OTPError.issuerMismatch(label: fromLabel, parameter: formDecoded)
          }
        } else {
          issuer = formDecoded
        }
      }
    }

    var algorithm = OTPAlgorithm.sha1
    if let raw = parameters["algorithm"] {
      let text = try parameterText(raw, name: "algorithm")
      guard let parsed = OTPAlgorithm(name: text) else { throw OTPError.unsupportedAlgorithm(text) }
      algorithm = parsed
    }

    var digits = 6
    if let raw = parameters["digits"] {
      let text = try parameterText(raw, name: "digits")
      guard let parsed = decimal(text), Self.acceptedDigits.contains(where: { UInt64($0) == parsed }) else {
        throw OTPError.invalidDigits(text)
      }
      digits = Int(parsed)
    }

    var period: UInt32 = 30
    if type == .totp, let raw = parameters["period"] {
      let text = try parameterText(raw, name: "period")
      guard let parsed = decimal(text), parsed <= UInt64(Self.periodRange.upperBound),
        Self.periodRange.contains(UInt32(parsed))
      else { throw OTPError.invalidPeriod(text) }
      period = UInt32(parsed)
    }

    var counter: UInt64 = 0
    if type == .hotp {
      guard let raw = parameters["counter"] else { throw OTPError.missingCounter }
      let text = try parameterText(raw, name: "counter")
      guard let parsed = decimal(text), parsed <= HOTP.maxCounter else { throw OTPError.invalidCounter(text) }
      counter = parsed
    }

    self.init(
      type: type, secret: secret, issuer: issuer, account: account, algorithm: algorithm, digits: digits,
      period: period, counter: counter)
  }
}

// MARK: - Label

/// Splits ISSUER:ACCOUNT. The separator is the first literal ':', or failing that the
/// first "%3A": splitting before decoding keeps an encoded ':' inside an issuer intact.
private func parseLabel(_ raw: ArraySlice<UInt8>) throws -> (issuer: String?, account: String) {
  var issuerRaw: ArraySlice<UInt8>? = nil
  var accountRaw = raw
  if let colon = raw.firstIndex(of: UInt8(ascii: ":")) {
    issuerRaw = raw[..<colon]
    accountRaw = raw[(colon + 1)...]
  } else if let encoded = firstEncodedColon(in: raw) {
    issuerRaw = raw[..<encoded]
    accountRaw = raw[(encoded + 3)...]
  }

  let part = "the label"
  var issuer: String? = nil
  if let issuerRaw = issuerRaw {
    let text = try checkedText(try percentDecode(issuerRaw, part: part, showEscape: true), part: part)
    issuer = text.isEmpty ? nil : text
  }
  // The Key Uri Format allows spaces after the separator ("ACME Co: john"). They are
  // dropped with or without an issuer in the label: an account kept as " john" (or " ")
  // would print, beside an issuer parameter, as "ISSUER:%20john", which parses to "john"
  // (or not at all); found by fuzzing (docs/fuzzing.md).
  let account = String(
    try checkedText(try percentDecode(accountRaw, part: part, showEscape: true), part: part).drop(while: { $0 == " " }))
  guard !account.isEmpty else { throw OTPError.emptyAccount }
  return (issuer, account)
}

private func firstEncodedColon(in raw: ArraySlice<UInt8>) -> Int? {
  var i = raw.startIndex
  while i + 2 < raw.endIndex {
    if raw[i] == UInt8(ascii: "%") && raw[i + 1] == UInt8(ascii: "3") && (raw[i + 2] | 0x20) == UInt8(ascii: "a") {
      return i
    }
    i += 1
  }
  return nil
}

// MARK: - Percent-encoding (RFC 3986)

/// Keeps only the unreserved characters, so the result is safe in a label and in a
/// query value alike.
func percentEncode(_ text: String) -> String {
  let hex = Array("0123456789ABCDEF".utf8)
  var out: [UInt8] = []
  for byte in text.utf8 {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
      UInt8(ascii: "~"):
      out.append(byte)
    default:
      out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
    }
  }
  return String(decoding: out, as: UTF8.self)
}

/// `showEscape` is false for the secret, whose escapes are fragments of the secret.
private func percentDecode(
  _ raw: ArraySlice<UInt8>, part: String, showEscape: Bool, plusIsSpace: Bool = false
) throws -> [UInt8] {
  var out: [UInt8] = []
  out.reserveCapacity(raw.count)
  var i = raw.startIndex
  while i < raw.endIndex {
    let byte = raw[i]
    if byte == UInt8(ascii: "%") {
      guard i + 2 < raw.endIndex, let high = hexValue(raw[i + 1]), let low = hexValue(raw[i + 2]) else {
        let escape = String(decoding: raw[i..<min(i + 3, raw.endIndex)], as: UTF8.self)
        throw OTPError.invalidPercentEscape(part: part, escape: showEscape ? escape : nil)
      }
      out.append(high << 4 | low)
      i += 3
    } else {
      out.append(plusIsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
      i += 1
    }
  }
  return out
}

private func hexValue(_ byte: UInt8) -> UInt8? {
  switch byte {
  case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
  case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
  case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
  default: return nil
  }
}

/// Strict UTF-8: `String(decoding:)` would silently substitute U+FFFD.
private func utf8String(_ bytes: [UInt8], part: String) throws -> String {
  var iterator = bytes.makeIterator()
  var decoder = UTF8()
  var scalars = String.UnicodeScalarView()
  while true {
    switch decoder.decode(&iterator) {
    case .scalarValue(let scalar): scalars.append(scalar)
    case .emptyInput: return String(scalars)
    case .error: throw OTPError.invalidUTF8(part: part)
    }
  }
}

/// Label and issuer end up on terminals and in logs; control characters and
/// bidirectional overrides there could rewrite what an administrator sees, so they are
/// refused rather than displayed.
private func checkedText(_ bytes: [UInt8], part: String) throws -> String {
  let text = try utf8String(bytes, part: part)
  if text.unicodeScalars.contains(where: UnsafeDisplayText.isUnsafe) {
    throw OTPError.controlCharacter(part: part)
  }
  return text
}

/// Characters that must not reach a terminal or a log line from outside input: C0
/// controls (tab and newline included), DEL, C1 controls, and the bidirectional
/// embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), which reorder
/// what a reader sees. One rule, shared with `Accounts.DisplayText`.
public enum UnsafeDisplayText {
  public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: return true
    default: return false
    }
  }

  /// The first unsafe scalar of `text`, or nil.
  public static func firstUnsafe(in text: String) -> Unicode.Scalar? {
    text.unicodeScalars.first(where: isUnsafe)
  }
}

private func parameterText(_ raw: ArraySlice<UInt8>, name: String) throws -> String {
  let part = "parameter '\(name)'"
  return try utf8String(try percentDecode(raw, part: part, showEscape: true), part: part)
}

/// Plain decimal digits only: Swift's integer parsing would also take "+6" and "-0".
private func decimal(_ text: String) -> UInt64? {
  guard !text.isEmpty else { return nil }
  var value: UInt64 = 0
  for byte in text.utf8 {
    guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
    let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
    let (sum, overflow2) = times10.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
    if overflow1 || overflow2 { return nil }
    value = sum
  }
  return value
}

/// RFC 3986 scheme syntax, used only to choose between "wrong scheme" and "not a URI".
private func isPlausibleScheme(_ bytes: ArraySlice<UInt8>) -> Bool {
  guard let first = bytes.first, (first | 0x20) >= UInt8(ascii: "a") && (first | 0x20) <= UInt8(ascii: "z") else {
    return false
  }
  return bytes.allSatisfy { b in
    let lower = b | 0x20
    return (lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z"))
      || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
      || b == UInt8(ascii: "+") || b == UInt8(ascii: "-") || b == UInt8(ascii: ".")
  }
}

private func trimmingASCIIWhitespace(_ text: String) -> Substring {
  let isSpace: (Character) -> Bool = { $0.isASCII && $0.isWhitespace }
  guard let start = text.firstIndex(where: { !isSpace($0) }) else { return text[text.endIndex...] }
  let end = text.lastIndex(where: { !isSpace($0) })!
  return text[start...end]
}
