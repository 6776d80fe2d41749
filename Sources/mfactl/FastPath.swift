// The verify fast path. `verify` sits in login paths (PAM, web logins), and parsing with
// ArgumentParser costs ~15M instructions there: it builds the whole command tree with
// dynamic casts, each scanning every protocol conformance in the binary, about 10x the
// cost of the verification itself (measured with callgrind, see bench/README.md).
//
// This parser accepts only the complete, valid shapes of `mfactl verify` and returns
// nil for anything else (help, unknown or repeated options, invalid values or user
// names), which then goes through ArgumentParser as usual. So every error message and
// exit code still comes from one place, and a successful parse here means the same
// thing ArgumentParser would have produced. `MFACTL_NO_FAST_PATH=1` disables it (the
// end-to-end tests run verify both ways and compare).
import Accounts

enum FastPath {
  struct VerifyCall {
    var settings = Settings()
    var user: String
    var code: String?
    var window: Int?
  }

  static var enabled: Bool { Env.get("MFACTL_NO_FAST_PATH") != "1" }

  /// Parses `verify USER [CODE] [options]` with options anywhere, as `--opt value` or
  /// `--opt=value`, and `--` ending options.
  static func parseVerify(_ args: [String]) -> VerifyCall? {
    guard args.first == "verify" else { return nil }
    var s = Settings()
    var positionals: [String] = []
    var window: Int? = nil
    var seen = Set<String>()
    var i = 1
    var optionsEnded = false
    while i < args.count {
      let a = args[i]
      i += 1
      if optionsEnded || !a.hasPrefix("-") || a == "-" {
        positionals.append(a)
        continue
      }
      if a == "--" {
        optionsEnded = true
        continue
      }
      var name = a
      var inlineValue: String? = nil
      if let eq = a.firstIndex(of: "=") {
        name = String(a[..<eq])
        inlineValue = String(a[a.index(after: eq)...])
      }
      guard seen.insert(name).inserted else { return nil }  // repeated: let ArgumentParser decide
      if name == "--quiet" {
        guard inlineValue == nil else { return nil }
        s.quiet = true
        continue
      }
      let value: String
      if let v = inlineValue {
        value = v
      } else {
        guard i < args.count else { return nil }
        value = args[i]
        i += 1
      }
      switch name {
      case "--vault": s.vault = value
      case "--key-file": s.keyFile = value
      case "--passphrase-file": s.passphraseFile = value
      case "--actor": s.actor = value
      case "--ip": s.ip = value
      case "--user-agent": s.userAgent = value
      case "--format":
        guard let f = OutputFormat(rawValue: value) else { return nil }
        s.format = f
      case "--window":
        guard let w = Int(value), MFACtl.Verify.windowRange.contains(w) else { return nil }
        window = w
      default:
        return nil
      }
    }
    guard positionals.count == 1 || positionals.count == 2 else { return nil }
    let user = positionals[0]
    guard UserName.isValid(user) else { return nil }
    return VerifyCall(settings: s, user: user, code: positionals.count == 2 ? positionals[1] : nil, window: window)
  }
}
