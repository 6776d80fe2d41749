import Accounts
import ArgumentParser

struct UsersSet: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "set",
    abstract: "Set a user's policy flags: --require-mfa / --no-require-mfa, --role NAME / --no-role.",
    discussion: """
      A user with --require-mfa and no active authenticator fails verify (exit 1) with a \
      message saying so, even with a challenge or recovery code. The role is free text \
      (1-64 characters), shown by 'users list' and 'users show' and filterable with \
      'users list --role NAME'.
      """)
  @OptionGroup var options: GlobalOptions
  @Argument(help: "User name.", completion: .userNames) var user: String
  @Flag(
    inversion: .prefixedNo, help: "Require an active authenticator for verify (--no-require-mfa: stop requiring it).")
  var requireMfa: Bool?
  @Option(help: ArgumentHelp("A role label.", valueName: "name")) var role: String?
  @Flag(help: "Clear the role.") var noRole = false

  func validate() throws {
    try checkUserName(user)
    if role != nil && noRole { throw ValidationError("give --role NAME or --no-role, not both") }
    if let r = role {
      do { try UserPolicy.validate(role: r) } catch let e as AccountsError { throw ValidationError(e.description) }
    }
    if requireMfa == nil && role == nil && !noRole {
      throw ValidationError("nothing to set: give --require-mfa, --no-require-mfa, --role or --no-role")
    }
  }

  func run() throws {
    try reporting {
      let ctx = Context(options: options)
      let r = try ChangeUser.run(
        try ctx.openStore(write: true),
        ChangeUser.Input(user: user, change: .policy(requireMFA: requireMfa, role: role, clearRole: noRole)))
      let (u, policy) = (r.user, r.policy!)
      if options.json {
        ctx.printer.json(
          .object([("user", .string(u.name)), ("require_mfa", .bool(policy.requireMFA)), ("role", .str(policy.role))]))
      } else {
        ctx.printer.line("\(u.name): require-mfa \(policy.requireMFA ? "on" : "off"), role \(policy.role ?? "none")")
      }
    }
  }
}
