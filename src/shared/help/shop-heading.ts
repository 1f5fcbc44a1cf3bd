/**
 * What a found shop's card names (src/renderer/src/components/help/ShopFinder.tsx): the shop, and under it the
 * retail partner that runs it, unless that is the same name (a partner's only shop is often named like the
 * partner, as the dev seed's "Demo corner shop" is): one name read twice is noise, not information.
 */
export function shopHeading(shop: { readonly name: string; readonly partner: string }): {
  readonly name: string
  readonly partner: string | null
} {
  const same = (a: string) => a.trim().replace(/\s+/g, ' ').toLocaleLowerCase()
  return { name: shop.name, partner: same(shop.partner) === same(shop.name) ? null : shop.partner }
}
