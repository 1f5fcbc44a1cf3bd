/**
 * The USB tree from the root hub down to each dongle, the dongle's path highlighted, need vs budget shown, each
 * node worded in the person's language (usb-tree-words.ts), not the printable report's English.
 */
import { useTranslation } from 'react-i18next'
import type { TopologyNode } from '../../../shared/diagnostics/report'
import { treeNodeWords } from './usb-tree-words'

function Node({ node }: { node: TopologyNode }): React.JSX.Element {
  const { t } = useTranslation()
  const over =
    node.kind === 'dongle' && node.needMa !== null && node.budgetMa !== null && node.needMa > node.budgetMa
  const words = treeNodeWords(t, node)
  return (
    <li className={`tree-${node.kind}${node.onDonglePath ? ' on-path' : ''}`} data-testid={`tree-${node.id}`}>
      {/* The tree is laid out left to right; each phrase in it reads in its own language's direction. */}
      <span className="tree-label" dir="auto">
        {words.label}
      </span>
      {words.power && (
        <span className="tree-power" dir="auto">
          {words.power}
        </span>
      )}
      {node.kind === 'dongle' && node.budgetMa !== null && (
        <span className={over ? 'tree-budget over' : 'tree-budget'} dir="auto">
          {t('diagnostics.needBudget', { need: node.needMa ?? '?', budget: node.budgetMa })}
          {over && <> · {t('diagnostics.overBudget')}</>}
        </span>
      )}
      {node.children.length > 0 && (
        <ul>
          {node.children.map((c) => (
            <Node key={c.id} node={c} />
          ))}
        </ul>
      )}
    </li>
  )
}

export function UsbTree({ nodes }: { nodes: TopologyNode[] }): React.JSX.Element {
  return (
    <ul className="usb-tree" dir="ltr" data-testid="usb-tree">
      {nodes.map((n) => (
        <Node key={n.id} node={n} />
      ))}
    </ul>
  )
}
