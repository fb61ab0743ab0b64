/// Releases a graph of ``PickleValue``s without recursion.
///
/// ARC frees a container by releasing its children, which frees their
/// children, and so on: one stack frame per level. A pickle of a few MB can
/// nest a million levels deep and overflow any thread's stack that way. Here
/// every reachable container is emptied first, with its children moved onto a
/// heap-allocated work list, so each later release is one level deep.
///
/// Emptying is unconditional (not only for uniquely referenced nodes): that
/// visits a node shared through the memo once, and breaks reference cycles
/// (a list appended to itself) that ARC alone would leak. Callers must have
/// copied out what they need (``TensorRef``s, strings) beforehand.
enum PickleTeardown {
    static func dismantle(_ roots: [PickleValue]) {
        var work = roots
        while let value = work.popLast() {
            switch value {
            case let .tuple(tuple):
                work.append(contentsOf: tuple.items)
                tuple.items = []
            case let .list(list):
                work.append(contentsOf: list.items)
                list.items = []
            case let .dict(dict):
                work.append(contentsOf: dict.removeAll())
            case let .object(object):
                work.append(object.type)
                work.append(contentsOf: object.arguments)
                work.append(object.state)
                work.append(contentsOf: object.items.removeAll())
                work.append(contentsOf: object.listItems.items)
                object.type = .none
                object.arguments = []
                object.state = .none
                object.listItems.items = []
            default:
                break
            }
        }
    }
}
