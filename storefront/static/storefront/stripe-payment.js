// The card form: Stripe's Payment Element, the one script the marketplace needs.
// The card number goes from the browser to Stripe only; after confirming, Stripe returns the
// buyer to this page, which shows the payment as paid once Stripe's webhook has told the server.
(function () {
  "use strict";
  var form = document.getElementById("stripe-form");
  if (!form || typeof window.Stripe !== "function") { return; }
  var stripe = window.Stripe(form.dataset.publishableKey);
  var elements = stripe.elements({ clientSecret: form.dataset.clientSecret });
  elements.create("payment").mount("#payment-element");
  var message = document.getElementById("stripe-message");
  var button = document.getElementById("stripe-submit");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    stripe.confirmPayment({ elements: elements, confirmParams: { return_url: form.dataset.returnUrl } })
      .then(function (result) {
        if (result.error) {
          message.textContent = result.error.message;
          message.hidden = false;
          button.disabled = false;
        }
      });
  });
})();
