// Text from outside that reaches the audit log or a terminal (issuers, labels, actor,
// address, user agent, device names) must not hold characters that rewrite what a
// reader sees: control characters would forge lines or send terminal escapes, and
// bidirectional overrides reorder the text on screen. docs/security.md, "Arguments
// (argv)": such text is a usage error (64) on the command line and bad data (65) inside a
// file or URI; the caller picks the code, this is the one rule.
import OTP

public enum DisplayText {
  /// True when `text` holds no C0 control (tab and newline included), DEL, C1 control
  /// or bidirectional embedding, override or isolate (U+202A-U+202E, U+2066-U+2069).
  public static func isSafe(_ text: String) -> Bool {
    UnsafeDisplayText.firstUnsafe(in: text) == nil
  }

  /// Throws `invalidParameter("WHAT must not contain ...")` (64 on the command line)
  /// naming the first offending character by code point, never echoing it.
  public static func validate(_ text: String, what: String) throws {
    if let bad = UnsafeDisplayText.firstUnsafe(in: text) {
      throw AccountsError.invalidParameter("\(what) must not contain \(describe(bad))")
    }
  }

  /// "a control character (U+001B)" or "a bidirectional override (U+202E)".
  public static func describe(_ scalar: Unicode.Scalar) -> String {
    let hex = String(scalar.value, radix: 16, uppercase: true)
    let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    let kind = scalar.value >= 0x202A ? "a bidirectional override" : "a control character"
    return "\(kind) (\(code))"
  }
}
