/** The smallest majority of `n` voters. */
export const majority = (n: number): number => Math.floor(n / 2) + 1;

/** Why a Sentinel count cannot elect a failover leader through one failure, or undefined when it can. */
export function sentinelCountProblem(n: number): string | undefined {
  if (n < 3) return `${n} Sentinel${n === 1 ? '' : 's'} cannot keep a majority when one is lost, so no failover can be authorised then`;
  if (n % 2 === 0) return `an even number of Sentinels (${n}) tolerates no more failures than ${n - 1} and can split evenly`;
  return undefined;
}
