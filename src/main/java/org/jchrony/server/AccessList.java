package org.jchrony.server;

/**
 * chronyd's allow/deny table (used for {@code allow}/{@code deny} and {@code cmdallow}/
 * {@code cmddeny}), with the same semantics as chronyd 4.3:
 * <ul>
 * <li>Default: everything denied, both families.</li>
 * <li>Rules live in a trie that consumes the address 4 bits per level. A rule for a prefix
 *     whose length is a multiple of 4 sets the state of the node at that depth; any other prefix
 *     length sets the 2, 4 or 8 sibling nodes at the next multiple of 4 that it covers.</li>
 * <li>A lookup follows the address down the trie and takes the state of the deepest node on its
 *     path that has one: a more specific rule wins over a less specific one regardless of order;
 *     between rules landing on the same node, the later one wins.</li>
 * <li>The {@code all} variants ({@code allow all}, {@code deny all}) also delete every more
 *     specific rule under the prefix.</li>
 * <li>A null address is "any": prefix 0 of both IPv4 and IPv6 (prefix must then be 0).</li>
 * </ul>
 * Thread-safety: {@link #allowed} is lock-free and allocation-free and may be called from any
 * number of server threads while {@link #add} (serialised, copy-on-write) changes the table.
 */
public final class AccessList {
    private static final byte DENY = 0;
    private static final byte ALLOW = 1;
    private static final byte AS_PARENT = 2;
    private static final int NBITS = 4;
    private static final int FANOUT = 1 << NBITS;

    private static final class Node {
        byte state;
        Node[] children;

        Node(byte state) {
            this.state = state;
        }

        Node copy() {
            Node n = new Node(state);
            if (children != null) {
                n.children = new Node[FANOUT];
                for (int i = 0; i < FANOUT; i++) n.children[i] = children[i].copy();
            }
            return n;
        }

        void open() {
            if (children == null) {
                children = new Node[FANOUT];
                for (int i = 0; i < FANOUT; i++) children[i] = new Node(AS_PARENT);
            }
        }
    }

    private record Roots(Node v4, Node v6) {}

    private volatile Roots roots = new Roots(new Node(DENY), new Node(DENY));

    /** An empty list: everything denied. */
    public AccessList() {}

    /** A copy of {@code other}'s rules. */
    public AccessList(AccessList other) {
        Roots r = other.roots;
        roots = new Roots(r.v4.copy(), r.v6.copy());
    }

    /**
     * Adds a rule as chronyd's {@code allow}/{@code deny} ({@code all} = the "all" variant).
     *
     * @param address 4 or 16 bytes (network byte order), or null for any address of both families
     * @param prefixBits 0..32 / 0..128; must be 0 when address is null
     * @return false (nothing changed) for a bad subnet, as chronyd's ADF_BADSUBNET
     */
    public synchronized boolean add(boolean allow, boolean all, byte[] address, int prefixBits) {
        byte state = allow ? ALLOW : DENY;
        Roots r = roots;
        if (address == null) {
            if (prefixBits != 0) return false;
            Node v4 = r.v4.copy();
            Node v6 = r.v6.copy();
            set(v4, new byte[4], 0, state, all);
            set(v6, new byte[16], 0, state, all);
            roots = new Roots(v4, v6);
            return true;
        }
        if (address.length != 4 && address.length != 16) return false;
        if (prefixBits < 0 || prefixBits > address.length * 8) return false;
        if (address.length == 4) {
            Node v4 = r.v4.copy();
            set(v4, address, prefixBits, state, all);
            roots = new Roots(v4, r.v6);
        } else {
            Node v6 = r.v6.copy();
            set(v6, address, prefixBits, state, all);
            roots = new Roots(r.v4, v6);
        }
        return true;
    }

    private static int nibble(byte[] a, int bitOffset) {
        int b = a[bitOffset >>> 3] & 0xff;
        return (bitOffset & 4) == 0 ? b >>> 4 : b & 0x0f;
    }

    private static void set(Node root, byte[] address, int prefixBits, byte state, boolean deleteChildren) {
        Node node = root;
        int consumed = 0;
        int toGo = prefixBits;
        while (toGo >= NBITS) {
            node.open();
            node = node.children[nibble(address, consumed)];
            toGo -= NBITS;
            consumed += NBITS;
        }
        if (toGo == 0) {
            if (deleteChildren) node.children = null;
            node.state = state;
            return;
        }
        int n = 1 << (NBITS - toGo);
        int first = nibble(address, consumed) & ~(n - 1);
        node.open();
        for (int i = first; i < first + n; i++) {
            Node child = node.children[i];
            if (deleteChildren) child.children = null;
            child.state = state;
        }
    }

    /** Whether {@code peer} may be served; Unix-socket peers are not subject to this list (false). */
    public boolean allowed(PeerAddress peer) {
        return allowed(peer.address(), peer.family());
    }

    /** @param family {@link PeerAddress#INET4} (first 4 bytes used) or {@link PeerAddress#INET6} */
    public boolean allowed(byte[] address, int family) {
        Roots r = roots;
        Node node;
        int bits;
        if (family == PeerAddress.INET4) {
            node = r.v4;
            bits = 32;
        } else if (family == PeerAddress.INET6) {
            node = r.v6;
            bits = 128;
        } else {
            return false;
        }
        byte state = DENY;
        int consumed = 0;
        while (true) {
            if (node.state != AS_PARENT) state = node.state;
            if (node.children == null || consumed >= bits) break;
            node = node.children[nibble(address, consumed)];
            consumed += NBITS;
        }
        return state == ALLOW;
    }

    /** chronyd's ADF_IsAnyAllowed: whether any address of the family could be allowed (used to decide whether to open the server socket). */
    public boolean isAnyAllowed(int family) {
        Roots r = roots;
        Node root = family == PeerAddress.INET4 ? r.v4 : family == PeerAddress.INET6 ? r.v6 : null;
        return root != null && anyAllowed(root, DENY);
    }

    private static boolean anyAllowed(Node node, byte parent) {
        byte state = node.state != AS_PARENT ? node.state : parent;
        if (node.children != null) {
            for (Node c : node.children) if (anyAllowed(c, state)) return true;
            return false;
        }
        return state == ALLOW;
    }
}
