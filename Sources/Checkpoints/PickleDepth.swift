/// Measures how deeply a value's containers nest, without recursion.
///
/// A depth-first walk with its own stack and a height per container already
/// measured, so that nodes shared through the memo are measured once (a
/// tuple holding the same memoized tuple twice, forty levels down, has 2^40
/// paths but only forty nodes). A container met again on the current path is
/// a cycle: it adds nothing, since nothing here walks values recursively.
enum PickleDepth {
    /// True when some chain of containers under `root` is longer than `limit`
    /// (the root container counts as level 1).
    static func exceeds(_ root: PickleValue, limit: Int) -> Bool {
        struct Frame {
            let id: ObjectIdentifier
            let children: [PickleValue]
            var next = 0
            var tallestChild = 0
        }
        var heights: [ObjectIdentifier: Int] = [:]
        var onPath: Set<ObjectIdentifier> = []
        var path: [Frame] = []

        func open(_ value: PickleValue) -> Frame? {
            guard let (id, children) = node(value) else { return nil }
            return Frame(id: id, children: children)
        }
        guard let first = open(root) else { return false }
        path.append(first)
        onPath.insert(first.id)
        while var frame = path.popLast() {
            if path.count + 1 > limit { return true }
            if frame.next < frame.children.count {
                let child = frame.children[frame.next]
                frame.next += 1
                if let (id, _) = node(child) {
                    if let height = heights[id] {
                        if path.count + 1 + height > limit { return true }
                        frame.tallestChild = max(frame.tallestChild, height)
                        path.append(frame)
                    } else if onPath.contains(id) {
                        path.append(frame)
                    } else if let opened = open(child) {
                        path.append(frame)
                        path.append(opened)
                        onPath.insert(id)
                    }
                } else {
                    path.append(frame)
                }
            } else {
                let height = frame.tallestChild + 1
                heights[frame.id] = height
                onPath.remove(frame.id)
                if var parent = path.popLast() {
                    parent.tallestChild = max(parent.tallestChild, height)
                    path.append(parent)
                }
            }
        }
        return false
    }

    /// Identity and children of a container; nil for leaves.
    private static func node(_ value: PickleValue) -> (ObjectIdentifier, [PickleValue])? {
        switch value {
        case let .tuple(t): return (ObjectIdentifier(t), t.items)
        case let .list(l): return (ObjectIdentifier(l), l.items)
        case let .dict(d): return (ObjectIdentifier(d), d.keys + d.values)
        case let .object(o):
            // The object's own item dict and list are part of it, not a level below.
            return (ObjectIdentifier(o), [o.type] + o.arguments + [o.state] + o.items.keys + o.items.values + o.listItems.items)
        default: return nil
        }
    }
}
