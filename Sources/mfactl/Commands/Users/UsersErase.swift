import Accounts
import ArgumentParser

struct UsersErase: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "erase",
    abstract: "Remove a user and every trace of their name (right to erasure).",
    discussion: """
      Removes the user, their factors, devices and sessions, and the link from their id to \
      their name. Their audit events stay, and stay verifiable, but refer only to an id \
      nothing names any more. The erasure itself is audited (by id).
      """)
  @OptionGroup var options: GlobalOptions
  @Argument(help: "User name.", completion: .userNames) var user: String
  func validate() throws { try checkUserName(user) }

  func run() throws {
    try reporting {
      let ctx = Context(options: options)
      let erased = try EraseUser.run(try ctx.openStore(write: true), user: user)
      guard let u = erased.user else {
        // A removed user's name was still remembered for the audit listing: forgotten.
        let ids = erased.ids
        if options.json {
          ctx.printer.json(
            .object([("user", .string(user)), ("user_ids", .array(ids.map { .string($0) })), ("erased", .bool(true))]))
        } else {
          ctx.printer.line("erased the remembered name of removed user \(user) (id \(ids.joined(separator: ", ")))")
        }
        return
      }
      if options.json {
        ctx.printer.json(
          .object([("user", .string(u.name)), ("user_ids", .array([.string(u.id)])), ("erased", .bool(true))]))
      } else {
        ctx.printer.line("erased user \(u.name) (id \(u.id)); their audit events remain under that id only")
      }
    }
  }
}
