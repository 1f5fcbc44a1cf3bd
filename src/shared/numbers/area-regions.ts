/**
 * Where NANP area codes are: the US state (or DC) and the Canadian province or territory each geographic code
 * serves, with a point near the region's people. It answers "which area codes are near this one" when the one a
 * person asked for has no free numbers: the same region first, then the nearest regions, then the numerically
 * closest codes. Only within one country, because a US number needs a US 911 address and a Canadian one a
 * Canadian address. Canada's list here is the source of nanp.ts's set of Canadian codes.
 */

interface Region {
  readonly country: 'US' | 'CA'
  /** Latitude and longitude (degrees) near the middle of the region's population. */
  readonly at: readonly [number, number]
  readonly codes: string
}

/** Postal abbreviations; 902/782 serve Nova Scotia and Prince Edward Island, 867 the three territories. */
const REGIONS: Readonly<Record<string, Region>> = {
  AL: { country: 'US', at: [32.8, -86.8], codes: '205 251 256 334 483 659 938' },
  AK: { country: 'US', at: [61.2, -149.9], codes: '907' },
  AZ: { country: 'US', at: [33.5, -112.0], codes: '480 520 602 623 928' },
  AR: { country: 'US', at: [34.9, -92.4], codes: '327 479 501 870' },
  CA: {
    country: 'US',
    at: [35.5, -119.3],
    codes:
      '209 213 279 310 323 341 350 369 408 415 424 442 510 530 559 562 619 626 628 650 657 661 669 707 714 ' +
      '747 760 805 818 820 831 837 840 858 909 916 925 949 951'
  },
  CO: { country: 'US', at: [39.6, -105.0], codes: '303 719 720 970 983' },
  CT: { country: 'US', at: [41.6, -72.7], codes: '203 475 860 959' },
  DE: { country: 'US', at: [39.2, -75.5], codes: '302' },
  DC: { country: 'US', at: [38.9, -77.0], codes: '202 771' },
  FL: {
    country: 'US',
    at: [27.8, -81.6],
    codes: '239 305 321 324 352 386 407 448 561 645 656 689 727 728 754 772 786 813 850 863 904 941 954'
  },
  GA: { country: 'US', at: [33.3, -84.0], codes: '229 404 470 478 678 706 762 770 912 943' },
  HI: { country: 'US', at: [21.3, -157.8], codes: '808' },
  ID: { country: 'US', at: [43.6, -115.5], codes: '208 986' },
  IL: {
    country: 'US',
    at: [41.3, -88.4],
    codes: '217 224 309 312 331 447 464 618 630 708 730 773 779 815 847 861 872'
  },
  IN: { country: 'US', at: [39.9, -86.3], codes: '219 260 317 463 574 765 812 930' },
  IA: { country: 'US', at: [42.0, -93.3], codes: '319 515 563 641 712' },
  KS: { country: 'US', at: [38.5, -97.0], codes: '316 620 785 913' },
  KY: { country: 'US', at: [37.8, -85.3], codes: '270 364 502 606 859' },
  LA: { country: 'US', at: [30.7, -91.5], codes: '225 318 337 504 985' },
  ME: { country: 'US', at: [44.3, -69.8], codes: '207' },
  MD: { country: 'US', at: [39.1, -76.8], codes: '227 240 301 410 443 667' },
  MA: { country: 'US', at: [42.3, -71.4], codes: '339 351 413 508 617 774 781 857 978' },
  MI: { country: 'US', at: [42.9, -84.2], codes: '231 248 269 313 517 586 616 679 734 810 906 947 989' },
  MN: { country: 'US', at: [45.3, -93.6], codes: '218 320 507 612 651 763 924 952' },
  MS: { country: 'US', at: [32.6, -89.6], codes: '228 601 662 769' },
  MO: { country: 'US', at: [38.5, -92.4], codes: '235 314 417 557 573 636 660 816 975' },
  MT: { country: 'US', at: [46.6, -110.5], codes: '406' },
  NE: { country: 'US', at: [41.1, -97.3], codes: '308 402 531' },
  NV: { country: 'US', at: [36.6, -115.6], codes: '702 725 775' },
  NH: { country: 'US', at: [43.2, -71.5], codes: '603' },
  NJ: { country: 'US', at: [40.4, -74.4], codes: '201 551 609 640 732 848 856 862 908 973' },
  NM: { country: 'US', at: [34.6, -106.3], codes: '505 575' },
  NY: {
    country: 'US',
    at: [41.5, -74.6],
    codes: '212 315 329 332 347 363 516 518 585 607 624 631 646 680 716 718 838 845 914 917 929 934'
  },
  NC: { country: 'US', at: [35.6, -79.4], codes: '252 336 472 704 743 828 910 919 980 984' },
  ND: { country: 'US', at: [47.2, -99.0], codes: '701' },
  OH: {
    country: 'US',
    at: [40.5, -82.6],
    codes: '216 220 234 283 326 330 380 419 436 440 513 567 614 740 937'
  },
  OK: { country: 'US', at: [35.6, -96.8], codes: '405 539 572 580 918' },
  OR: { country: 'US', at: [44.6, -122.6], codes: '458 503 541 971' },
  PA: {
    country: 'US',
    at: [40.5, -77.0],
    codes: '215 223 267 272 412 445 484 570 582 610 717 724 814 835 878'
  },
  RI: { country: 'US', at: [41.8, -71.5], codes: '401' },
  SC: { country: 'US', at: [34.0, -80.9], codes: '803 821 839 843 854 864' },
  SD: { country: 'US', at: [44.0, -99.4], codes: '605' },
  TN: { country: 'US', at: [35.8, -86.4], codes: '423 615 629 731 865 901 931' },
  TX: {
    country: 'US',
    at: [30.9, -97.4],
    codes:
      '210 214 254 281 325 346 361 409 430 432 469 512 682 713 726 737 806 817 830 832 903 915 936 940 945 ' +
      '956 972 979'
  },
  UT: { country: 'US', at: [40.5, -111.9], codes: '385 435 801' },
  VT: { country: 'US', at: [44.1, -72.8], codes: '802' },
  VA: { country: 'US', at: [37.8, -77.8], codes: '276 434 540 571 686 703 757 804 826 948' },
  WA: { country: 'US', at: [47.3, -121.6], codes: '206 253 360 425 509 564' },
  WV: { country: 'US', at: [38.6, -80.6], codes: '304 681' },
  WI: { country: 'US', at: [43.7, -89.0], codes: '262 274 353 414 534 608 715 920' },
  WY: { country: 'US', at: [42.5, -107.3], codes: '307' },
  BC: { country: 'CA', at: [49.6, -122.6], codes: '236 250 257 604 672 778' },
  AB: { country: 'CA', at: [52.3, -113.8], codes: '368 403 587 780 825' },
  SK: { country: 'CA', at: [51.6, -105.9], codes: '306 474 639' },
  MB: { country: 'CA', at: [50.2, -97.4], codes: '204 431 584' },
  ON: {
    country: 'CA',
    at: [44.2, -79.6],
    codes: '226 249 289 343 365 382 387 416 437 519 548 613 647 683 705 742 753 807 905 942'
  },
  QC: { country: 'CA', at: [46.3, -72.6], codes: '263 354 367 418 438 450 468 514 579 581 819 873' },
  NB: { country: 'CA', at: [46.1, -66.0], codes: '428 506' },
  'NS/PE': { country: 'CA', at: [45.2, -63.0], codes: '782 902' },
  NL: { country: 'CA', at: [47.9, -54.8], codes: '709 879' },
  'YT/NT/NU': { country: 'CA', at: [62.0, -119.0], codes: '867' }
}

/** Canadian codes not tied to one province (non-geographic services, and codes assigned ahead of their overlay). */
const CANADIAN_UNPLACED = '460 537 600 622'

const REGION_OF = new Map<string, string>(
  Object.entries(REGIONS).flatMap(([region, r]) => r.codes.split(' ').map((code) => [code, region] as const))
)

/** Every Canadian area code (geographic or not), for nanp.ts. */
export const CANADIAN_AREA_CODES: ReadonlySet<string> = new Set([
  ...Object.values(REGIONS)
    .filter((r) => r.country === 'CA')
    .flatMap((r) => r.codes.split(' ')),
  ...CANADIAN_UNPLACED.split(' ')
])

/** 'NJ' for 201, 'ON' for 416; null when the code has no one region. */
export function regionOfAreaCode(areaCode: string): string | null {
  return REGION_OF.get(areaCode) ?? null
}

/** Great-circle distance in km between two regions' points (haversine). */
function distanceKm(a: readonly [number, number], b: readonly [number, number]): number {
  const rad = Math.PI / 180
  const dLat = (b[0] - a[0]) * rad
  const dLon = (b[1] - a[1]) * rad
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[0] * rad) * Math.cos(b[0] * rad) * Math.sin(dLon / 2) ** 2
  return 2 * 6371 * Math.asin(Math.sqrt(h))
}

/**
 * The candidates nearest to an area code, nearest first: same region, then by the distance between regions, then
 * by how close the numbers are (for codes without a region). Only candidates in the same country (`countryOf`
 * says which, so this file does not depend on nanp.ts), never the code itself.
 */
export function nearestAreaCodes(
  areaCode: string,
  candidates: readonly string[],
  countryOf: (code: string) => string | null,
  limit = 4
): string[] {
  const country = countryOf(areaCode)
  const home = REGIONS[regionOfAreaCode(areaCode) ?? '']
  const rank = (code: string): [number, number] => {
    const region = REGIONS[regionOfAreaCode(code) ?? '']
    const km = home && region ? distanceKm(home.at, region.at) : Number.POSITIVE_INFINITY
    return [km, Math.abs(Number(code) - Number(areaCode))]
  }
  return [...new Set(candidates)]
    .filter((c) => c !== areaCode && country !== null && countryOf(c) === country)
    .map((code) => ({ code, rank: rank(code) }))
    .sort((a, b) => a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1] || a.code.localeCompare(b.code))
    .slice(0, limit)
    .map((c) => c.code)
}
