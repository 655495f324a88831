import type { FarmInfo, Role, User } from './types.js';
import { AuthError } from './errors.js';

/**
 * Who may see or change what. Farmers: their own farms. Technicians: the farms of their
 * cooperative. Admins: everything. Officers: aggregates only — never a farm's controls.
 */
export type Access = 'read' | 'control';

export function canAccessFarm(user: User, farm: FarmInfo, _access: Access): boolean {
  switch (user.role) {
    case 'admin':
      return true;
    case 'farmer':
      return user.farmIds.includes(farm.id) || farm.ownerUserId === user.id;
    case 'technician':
      return !!user.cooperativeId && farm.cooperativeId === user.cooperativeId;
    case 'officer':
      return false;
  }
}

export function visibleFarms(user: User, farms: FarmInfo[]): FarmInfo[] {
  return farms.filter((f) => canAccessFarm(user, f, 'read'));
}

export function assertFarmAccess(user: User, farm: FarmInfo | undefined, access: Access): FarmInfo {
  // a 403 for roles that can never control a farm, so the UI can say why; a farm or gateway the
  // user may not see answers exactly like one that does not exist (404), so ids cannot be probed
  if (user.role === 'officer')
    throw new AuthError('AUTH_FORBIDDEN', "officers see aggregates only, not a farm's controls");
  if (!farm || !canAccessFarm(user, farm, access)) {
    throw new AuthError('NOT_FOUND', 'no such gateway or farm among yours');
  }
  return farm;
}

export function hasRole(user: User, roles: readonly Role[]): boolean {
  return roles.includes(user.role);
}
