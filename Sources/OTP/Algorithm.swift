/// The HMAC hash of an authenticator. Raw values are the spelling of the Key Uri Format.
public enum OTPAlgorithm: String, CaseIterable, Sendable {
  case sha1 = "SHA1"
  case sha256 = "SHA256"
  case sha512 = "SHA512"

  /// A secret as long as the hash output: RFC 4226 recommends 160 bits for SHA-1, and
  /// longer keys add nothing once they exceed the output size of the hash.
  public var defaultSecretLength: Int {
    switch self {
    case .sha1: return 20
    case .sha256: return 32
    case .sha512: return 64
    }
  }

  /// Accepts the spellings people and other tools use: any case, with or without a
  /// hyphen or underscore ("sha1", "SHA-256", "sha_512").
  public init?(name: String) {
    var normalised = ""
    for c in name.uppercased() where c != "-" && c != "_" { normalised.append(c) }
    self.init(rawValue: normalised)
  }
}

public enum OTPType: String, CaseIterable, Sendable {
  case totp
  case hotp
}
