// Fast paths for the commands that sit in login paths: `verify` (PAM, web logins),
// `sessions check` and `devices check` (every request of a web app). Parsing with
// ArgumentParser costs 15-20M instructions there: it builds the whole command tree with
// dynamic casts, each scanning every protocol conformance in the static binary, about
// 10x the cost of the work itself (measured with callgrind, see bench/README.md).
//
// This parser accepts only complete, valid calls of those commands and returns nil for
// anything else (help, unknown or repeated options, invalid values or user names),
// which then goes through ArgumentParser as usual. So every error message and exit code
// still comes from one place, and a successful parse here means what ArgumentParser
// would have produced. `MFACTL_NO_FAST_PATH=1` disables it (the end-to-end tests run
// these commands both ways and compare).
import Accounts

enum FastPath {
  static var enabled: Bool { Env.get("MFACTL_NO_FAST_PATH") != "1" }

  /// What a command takes besides the global options.
  struct Shape {
    var path: [String]
    var positionals: ClosedRange<Int>
    var valued: Set<String> = []
    var flags: Set<String> = []
  }

  struct Parsed {
    var settings = Settings()
    var positionals: [String] = []
    var values: [String: String] = [:]
    var flags: Set<String> = []
  }

  static let globalValued: Set<String> = [
    "--vault", "--key-file", "--passphrase-file", "--actor", "--ip", "--user-agent", "--format",
  ]

  /// Parses `args` as `shape`: options anywhere after the command path, as `--opt value`
  /// or `--opt=value`, `--` ending options; each option at most once.
  static func parse(_ args: [String], _ shape: Shape) -> Parsed? {
    guard args.count >= shape.path.count, Array(args.prefix(shape.path.count)) == shape.path else { return nil }
    var p = Parsed()
    var seen = Set<String>()
    var i = shape.path.count
    var optionsEnded = false
    while i < args.count {
      let a = args[i]
      i += 1
      if optionsEnded || !a.hasPrefix("-") || a == "-" {
        p.positionals.append(a)
        continue
      }
      if a == "--" {
        optionsEnded = true
        continue
      }
      var name = a
      var inline: String? = nil
      if let eq = a.firstIndex(of: "=") {
        name = String(a[..<eq])
        inline = String(a[a.index(after: eq)...])
      }
      guard seen.insert(name).inserted else { return nil }
      if name == "--quiet" || name == "--syslog" || shape.flags.contains(name) {
        guard inline == nil else { return nil }
        if name == "--quiet" {
          p.settings.quiet = true
        } else if name == "--syslog" {
          p.settings.syslog = true
        } else {
          p.flags.insert(name)
        }
        continue
      }
      guard globalValued.contains(name) || shape.valued.contains(name) else { return nil }
      let value: String
      if let v = inline {
        value = v
      } else {
        guard i < args.count else { return nil }
        value = args[i]
        i += 1
      }
      switch name {
      case "--vault": p.settings.vault = value
      case "--key-file": p.settings.keyFile = value
      case "--passphrase-file": p.settings.passphraseFile = value
      case "--actor": p.settings.actor = value
      case "--ip": p.settings.ip = value
      case "--user-agent": p.settings.userAgent = value
      case "--format":
        guard let f = OutputFormat(rawValue: value) else { return nil }
        p.settings.format = f
      default: p.values[name] = value
      }
    }
    guard shape.positionals.contains(p.positionals.count) else { return nil }
    return p
  }

  // MARK: The commands

  struct VerifyCall {
    var settings: Settings
    var user: String
    var code: String?
    var window: Int?
    var extras: MFACtl.Verify.Extras
  }

  static let verifyShape = Shape(
    path: ["verify"], positionals: 1...2,
    valued: ["--window", "--ttl", "--idle", "--trust-device", "--device-ttl"],
    flags: ["--allow-recovery", "--session", "--remember"])

  /// `verify USER [CODE]` with every option of `verify`, validated as `Verify.validate`
  /// does; nil when anything would be refused.
  static func parseVerify(_ args: [String]) -> VerifyCall? {
    guard let p = parse(args, verifyShape), UserName.isValid(p.positionals[0]) else { return nil }
    var window: Int? = nil
    if let w = p.values["--window"] {
      guard let v = Int(w), MFACtl.Verify.windowRange.contains(v) else { return nil }
      window = v
    }
    func duration(_ name: String) -> Int64?? {
      guard let t = p.values[name] else { return .some(nil) }
      guard let v = Duration.parse(t) else { return nil }  // invalid: defer
      return .some(v)
    }
    guard let ttl = duration("--ttl"), let idle = duration("--idle"), let deviceTTL = duration("--device-ttl") else {
      return nil
    }
    let session = p.flags.contains("--session")
    let remember = p.flags.contains("--remember")
    if !session && (ttl != nil || idle != nil || remember) { return nil }
    if p.values["--trust-device"] == nil && deviceTTL != nil { return nil }
    if let name = p.values["--trust-device"], (try? Devices.validateName(name)) == nil { return nil }
    var extras = MFACtl.Verify.Extras(allowRecovery: p.flags.contains("--allow-recovery"))
    if session { extras.session = (ttl, idle, remember) }
    if let name = p.values["--trust-device"] { extras.trustDevice = (name, deviceTTL) }
    return VerifyCall(
      settings: p.settings, user: p.positionals[0], code: p.positionals.count == 2 ? p.positionals[1] : nil,
      window: window, extras: extras)
  }

  /// Runs the command if `arguments` is a fast-path call; false when it is not one.
  static func run(_ arguments: [String]) throws -> Bool {
    guard enabled else { return false }
    if arguments == ["--version"] {
      Terminal.stdout(MFACtl.configuration.version + "\n")
      return true
    }
    if let call = parseVerify(arguments) {
      try Report.catching {
        try MFACtl.Verify.execute(
          Context(settings: call.settings), user: call.user, code: call.code, window: call.window, extras: call.extras)
      }
      return true
    }
    if let p = parse(arguments, Shape(path: ["sessions", "check"], positionals: 0...1)) {
      try Report.catching { try SessionsCheck.execute(Context(settings: p.settings), token: p.positionals.first) }
      return true
    }
    if let p = parse(arguments, Shape(path: ["devices", "check"], positionals: 1...2)), UserName.isValid(p.positionals[0]) {
      try Report.catching {
        try DevicesCheck.execute(
          Context(settings: p.settings), user: p.positionals[0], token: p.positionals.count == 2 ? p.positionals[1] : nil)
      }
      return true
    }
    return false
  }
}
