export const handler = async (event) => {
  // A burst's events sleep so that they overlap and each needs an environment of its own.
  if (event.sleep) await new Promise((resolve) => setTimeout(resolve, event.sleep * 1000));
  return event.n;
};
