/// Releases graphs of ``PickleValue``s without recursion.
///
/// ARC frees a container by releasing its children, which frees their
/// children, and so on: one stack frame per level. A pickle of a few MB can
/// nest a million levels deep and overflow any thread's stack that way. Here
/// a container about to be freed is emptied first, its children moved onto a
/// heap-allocated work list, so every release ARC then performs is shallow.
enum PickleTeardown {
    /// Empties every container reachable from `roots`, shared or not.
    ///
    /// For the end of a parse, when nothing in the graph is used any more:
    /// emptying unconditionally visits a node shared through the memo once and
    /// breaks reference cycles (a list appended to itself) that ARC alone
    /// would leak. Callers must have copied out what they need first
    /// (``TensorRef``s, strings).
    static func dismantle(_ roots: [PickleValue]) {
        var work = roots
        while let value = work.popLast() {
            switch value {
            case let .tuple(tuple): work.append(contentsOf: take(tuple))
            case let .list(list): work.append(contentsOf: take(list))
            case let .dict(dict): work.append(contentsOf: dict.removeAll())
            case let .object(object): work.append(contentsOf: take(object))
            default: break
            }
        }
    }

    /// Drops the references in `values` (leaving it empty), emptying first
    /// each container that this makes unreachable.
    ///
    /// For the middle of a parse: a container still referenced elsewhere (on
    /// the stack, in the memo, inside another value) is left untouched.
    static func release(_ values: inout [PickleValue]) {
        while var value = values.popLast() {
            switch value {
            case var .tuple(tuple):
                value = .none  // drop the enum's reference so that only `tuple` holds one
                if isKnownUniquelyReferenced(&tuple) { values.append(contentsOf: take(tuple)) }
            case var .list(list):
                value = .none
                if isKnownUniquelyReferenced(&list) { values.append(contentsOf: take(list)) }
            case var .dict(dict):
                value = .none
                if isKnownUniquelyReferenced(&dict) { values.append(contentsOf: dict.removeAll()) }
            case var .object(object):
                value = .none
                if isKnownUniquelyReferenced(&object) { values.append(contentsOf: take(object)) }
            default:
                break
            }
        }
    }

    private static func take(_ tuple: PickleTuple) -> [PickleValue] {
        defer { tuple.items = [] }
        return tuple.items
    }

    private static func take(_ list: PickleList) -> [PickleValue] {
        defer { list.items = [] }
        return list.items
    }

    private static func take(_ object: PickleObject) -> [PickleValue] {
        defer {
            object.type = .none
            object.arguments = []
            object.state = .none
            object.listItems.items = []
        }
        return [object.type] + object.arguments + [object.state] + object.items.removeAll() + object.listItems.items
    }
}
