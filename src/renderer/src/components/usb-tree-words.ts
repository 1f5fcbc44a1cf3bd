/**
 * A USB tree node in the person's words, from the node's structured fields (kind, id, USB version, power source,
 * declared current), never from its `label` and `power`, which are the printable report's English
 * (shared/diagnostics/report.ts). Pure, so the words are tested without a screen.
 */
import type { TFunction } from 'i18next'
import type { TopologyNode } from '../../../shared/diagnostics/report'

export interface TreeNodeWords {
  readonly label: string
  readonly power: string | null
}

export function treeNodeWords(t: TFunction, node: TopologyNode): TreeNodeWords {
  const label =
    node.kind === 'root-hub'
      ? t('diagnostics.tree.rootHub', { id: node.id, version: node.usbVersion ?? t('device.unknown') })
      : node.kind === 'hub'
        ? t('diagnostics.tree.hub', { id: node.id })
        : t('diagnostics.tree.dongle', { name: node.name ?? node.id, id: node.id })
  const power =
    node.powerSource === 'self'
      ? t('device.selfPowered')
      : node.kind === 'dongle'
        ? // A dongle on the bus: the current it declares (its need against the port is said beside it).
          node.declaredMa !== null && node.declaredMa !== undefined
          ? t('device.powerDeclared', { declared: node.declaredMa })
          : null
        : node.powerSource === 'bus'
          ? t('diagnostics.tree.busPowered')
          : null
  return { label, power }
}
