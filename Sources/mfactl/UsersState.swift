// users disable | enable | unlock: one-flag state changes, each audited.
import Accounts
import ArgumentParser

struct UsersDisable: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "disable", abstract: "Disable a user: every verify is rejected until enabled.")
  @OptionGroup var options: GlobalOptions
  @Argument(help: "User name.", completion: .userNames) var user: String
  func validate() throws { try checkUserName(user) }

  func run() throws {
    try reporting {
      let ctx = Context(options: options)
      let u = try changeUser(ctx, user) { u, store in
        if u.disabled { return nil }
        u.disabled = true
        try store.revokeAccess(&u, reason: "user disabled")
        return AccountEvent(.userDisabled, user: u)
      }
      if options.json { ctx.printer.json(.object([("user", .string(u.name)), ("disabled", .bool(true))])) }
      else { ctx.printer.line("\(u.name) is disabled") }
    }
  }
}

struct UsersEnable: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "enable", abstract: "Enable a disabled user.")
  @OptionGroup var options: GlobalOptions
  @Argument(help: "User name.", completion: .userNames) var user: String
  func validate() throws { try checkUserName(user) }

  func run() throws {
    try reporting {
      let ctx = Context(options: options)
      let u = try changeUser(ctx, user) { u, _ in
        if !u.disabled { return nil }
        u.disabled = false
        return AccountEvent(.userEnabled, user: u)
      }
      if options.json { ctx.printer.json(.object([("user", .string(u.name)), ("disabled", .bool(false))])) }
      else { ctx.printer.line("\(u.name) is enabled") }
    }
  }
}

struct UsersUnlock: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "unlock", abstract: "Clear a user's failure count and lockout.")
  @OptionGroup var options: GlobalOptions
  @Argument(help: "User name.", completion: .userNames) var user: String
  func validate() throws { try checkUserName(user) }

  func run() throws {
    try reporting {
      let ctx = Context(options: options)
      let u = try changeUser(ctx, user) { u, _ in
        if u.failures == 0 && u.lockedUntil == nil { return nil }
        let failures = u.failures
        Lockout.clear(&u)
        return AccountEvent(.userUnlocked, user: u, detail: ["failures": String(failures)])
      }
      if options.json { ctx.printer.json(.object([("user", .string(u.name)), ("failures", .int(0))])) }
      else { ctx.printer.line("\(u.name) is unlocked") }
    }
  }
}
