import { alerts, expect, newAccount, signUp, test } from "./fixtures";

test("a visitor is sent to sign in and, after signing in, comes back where they were going", async ({ page }) => {
  const account = await signUp(page, newAccount("back"));
  await page.context().clearCookies();

  await page.goto("/settings");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fsettings/);
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/settings$/);
  await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();
});

test("wrong password and taken email are refused inline, on the form", async ({ page }) => {
  const account = await signUp(page, newAccount("auth"));
  await page.context().clearCookies();

  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(alerts(page)).toHaveText("Wrong email or password.");
  await expect(page).toHaveURL(/\/sign-in/);

  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(account.email.toUpperCase());
  await page.getByLabel("Password").fill("another good password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.locator("#email-error")).toContainText(/already/i);
  await expect(page).toHaveURL(/\/sign-up/);
});

test("sign out ends the session: chat pages send you to sign in again", async ({ page }) => {
  await signUp(page, newAccount("out"));
  await page.goto("/settings");
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await page.waitForURL(/\/sign-in/);
  await page.goto("/chat");
  await expect(page).toHaveURL(/\/sign-in/);
});
