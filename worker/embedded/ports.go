package embedded

import (
	"encoding/json"
	"net"
	"os"
	"strconv"
)

// memberPorts returns the ports of the server's services, reusing those of the
// last run (kept in path) when they are all free again. The services announce
// themselves as cluster members by address in the server's database: a server
// restarted after a kill -9 on new ports would find its dead predecessors still
// listed as members that own the history shard and the task queues, and move
// nothing until they time out (about a minute). On the same ports it is them.
func memberPorts(path, ip string, first, n int) ([]int, error) {
	var last []int
	if b, err := os.ReadFile(path); err == nil && json.Unmarshal(b, &last) == nil && len(last) == n &&
		(first == 0 || last[0] == first) && allFree(ip, last) {
		return last, nil
	}
	ports, err := freePorts(ip, first, n)
	if err != nil {
		return nil, err
	}
	b, _ := json.Marshal(ports)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return nil, err
	}
	return ports, nil
}

// allFree reports whether every port can be listened on now.
func allFree(ip string, ports []int) bool {
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	for _, p := range ports {
		l, err := net.Listen("tcp", net.JoinHostPort(ip, strconv.Itoa(p)))
		if err != nil {
			return false
		}
		ls = append(ls, l)
	}
	return true
}
