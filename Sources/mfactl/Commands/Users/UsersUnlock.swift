import Accounts
import ArgumentParser

struct UsersUnlock: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "unlock", abstract: "Clear a user's failure count and lockout.")
  @OptionGroup var options: GlobalOptions
  @Argument(help: "User name.", completion: .userNames) var user: String
  func validate() throws { try checkUserName(user) }

  func run() throws {
    try reporting {
      let ctx = Context(options: options)
      let u = try ChangeUser.run(try ctx.openStore(write: true), ChangeUser.Input(user: user, change: .unlock)).user
      if options.json {
        ctx.printer.json(.object([("user", .string(u.name)), ("failures", .int(0))]))
      } else {
        ctx.printer.line("\(u.name) is unlocked")
      }
    }
  }
}
