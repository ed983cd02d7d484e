// How much speech each stored feature tier gives back, as `npm run verify` printed it: audio rebuilt from
// our stored features with Griffin-Lim and scored with STOI (Taal et al. 2011) on the four reference
// speech clips, where the original scores 1 (details in docs/THREAT_MODEL.md). The privacy panel and the
// docs cite these figures; verify fails when what it measures moves more than `within` from them, so a
// change to the features cannot leave the panel saying something that is no longer true.
export const citedIntelligibility = {
  printedOn: '2026-12-02',
  within: 0.01,
  stoi_logmel: 0.926,
  stoi_mfcc: 0.904,
  stoi_noise: 0.381,
} as const;

/** A cited figure as the panel and the docs print it. */
export const citedStoi = (value: number): string => value.toFixed(2);
