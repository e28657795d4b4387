package modeler

import (
	"fmt"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
)

// randomOrder are the expression builtins whose output order is random (Go map
// iteration): a pratica using them could take another path when its workflow
// replays, so templates may not use them.
var randomOrder = map[string]bool{"keys": true, "values": true}

// orderedOnly refuses an expression that calls a builtin whose output order is random.
func orderedOnly(code string) error {
	tree, err := parser.Parse(code)
	if err != nil {
		return nil // the type check reports syntax errors
	}
	v := &builtinFinder{}
	ast.Walk(&tree.Node, v)
	if v.found != "" {
		return fmt.Errorf("%s() gives its items in random order, so it is not allowed / %s() restituisce gli elementi in ordine casuale: non consentita", v.found, v.found)
	}
	return nil
}

type builtinFinder struct{ found string }

// Visit records the first call of a random-order builtin.
func (b *builtinFinder) Visit(n *ast.Node) {
	if b.found != "" {
		return
	}
	switch x := (*n).(type) {
	case *ast.BuiltinNode:
		if randomOrder[x.Name] {
			b.found = x.Name
		}
	case *ast.CallNode:
		if id, ok := x.Callee.(*ast.IdentifierNode); ok && randomOrder[id.Value] {
			b.found = id.Value
		}
	}
}
