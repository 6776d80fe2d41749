// What `sessions list` and `devices list` share.
import Accounts

/// `sessions list` and `devices list`: the live items of one user (or of every user), one
/// JSON object or one text line each, or `empty` when there are none.
func printLiveItems<Item>(
  _ ctx: Context, user: String?, empty: String,
  items: (User, Int64) throws -> [Item], json: (Item, String) -> [(String, JSON)], text: (Item, String) -> String
) throws {
  let store = try ctx.openStore(write: false)
  let users = try user.map { [try store.user($0)] } ?? store.allUsers()
  var rows: [(name: String, item: Item)] = []
  for u in users { for item in try items(u, store.now) { rows.append((u.name, item)) } }
  if ctx.options.json {
    for row in rows { ctx.printer.json(.object(json(row.item, row.name))) }
  } else if rows.isEmpty {
    ctx.printer.line(empty)
  } else {
    for row in rows { ctx.printer.line(text(row.item, row.name)) }
  }
}
