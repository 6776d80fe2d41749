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

  // Plain arrays, searched linearly: a Set or Dictionary of String would cost a scan of
  // every protocol conformance in the binary on first use, on every run (bench/README.md).

  /// What a command takes besides the global options.
  struct Shape {
    var path: [String]
    var positionals: ClosedRange<Int>
    var valued: [String] = []
    var flags: [String] = []
  }

  struct Parsed {
    var settings = Settings()
    var positionals: [String] = []
    var valueList: [(name: String, value: String)] = []
    var flagList: [String] = []

    func value(_ name: String) -> String? {
      for (n, v) in valueList where n == name { return v }
      return nil
    }

    func flag(_ name: String) -> Bool {
      for f in flagList where f == name { return true }
      return false
    }
  }

  static func contains(_ list: [String], _ s: String) -> Bool {
    for x in list where x == s { return true }
    return false
  }

  static let globalValued: [String] = [
    "--vault", "--key-file", "--passphrase-file", "--actor", "--ip", "--user-agent", "--format",
  ]

  /// Parses `args` as `shape`: options anywhere after the command path, as `--opt value`
  /// or `--opt=value`, `--` ending options; each option at most once.
  static func parse(_ args: [String], _ shape: Shape) -> Parsed? {
    guard args.count >= shape.path.count, Array(args.prefix(shape.path.count)) == shape.path else { return nil }
    var p = Parsed()
    var seen: [String] = []
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
      guard !contains(seen, name) else { return nil }
      seen.append(name)
      if name == "--quiet" || name == "--syslog" || contains(shape.flags, name) {
        guard inline == nil else { return nil }
        if name == "--quiet" {
          p.settings.quiet = true
        } else if name == "--syslog" {
          p.settings.syslog = true
        } else {
          p.flagList.append(name)
        }
        continue
      }
      guard contains(globalValued, name) || contains(shape.valued, name) else { return nil }
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
      // Unsafe display text: leave it to ArgumentParser, which refuses it (64).
      case "--actor", "--ip", "--user-agent":
        guard DisplayText.isSafe(value) else { return nil }
        if name == "--actor" { p.settings.actor = value } else if name == "--ip" { p.settings.ip = value } else {
          p.settings.userAgent = value
        }
      case "--format":
        guard let f = OutputFormat(rawValue: value) else { return nil }
        p.settings.format = f
      default: p.valueList.append((name, value))
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
    if let w = p.value("--window") {
      guard let v = Int(w), MFACtl.Verify.windowRange.contains(v) else { return nil }
      window = v
    }
    func duration(_ name: String) -> Int64?? {
      guard let t = p.value(name) else { return .some(nil) }
      guard let v = TimeSpan.parse(t) else { return nil }  // invalid: defer
      return .some(v)
    }
    guard let ttl = duration("--ttl"), let idle = duration("--idle"), let deviceTTL = duration("--device-ttl") else {
      return nil
    }
    let session = p.flag("--session")
    let remember = p.flag("--remember")
    if !session && (ttl != nil || idle != nil || remember) { return nil }
    if p.value("--trust-device") == nil && deviceTTL != nil { return nil }
    if let name = p.value("--trust-device"), (try? Devices.validateName(name)) == nil { return nil }
    var extras = MFACtl.Verify.Extras(allowRecovery: p.flag("--allow-recovery"))
    if session { extras.session = (ttl, idle, remember) }
    if let name = p.value("--trust-device") { extras.trustDevice = (name, deviceTTL) }
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
