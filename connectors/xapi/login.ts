// 远程教育 platforms let learners log in with their ID number or their mobile number as well as a
// user name. Such a login is the learner's ID number or phone besides an account: read as one where
// the learner record does not state it, so the reconciler can weigh it (an ID number is what joins
// a learner to the register). In its NFKC form: full-width digits are typed into login boxes too.
const ID_LIKE = /^[\dXx]{15,18}$/u;
const MOBILE = /^1\d{10}$/u;

export function loginFields(login: string): { idNumber?: string; phone?: string } {
  const l = login.normalize('NFKC').trim();
  if (ID_LIKE.test(l)) return { idNumber: l };
  if (MOBILE.test(l)) return { phone: l };
  return {};
}
