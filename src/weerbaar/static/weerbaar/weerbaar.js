// SPDX-License-Identifier: EUPL-1.2
// Progressive enhancement: a subject row shows only the fields of its kind.
// Without JavaScript every field stays visible and the server still validates by kind.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-subject]").forEach((fieldset) => {
    const kind = fieldset.querySelector("select[name$='-kind']");
    const update = () => {
      fieldset.querySelectorAll("[data-kinds]").forEach((input) => {
        const field = input.closest(".utrecht-form-field");
        const show = kind.value !== "" && input.dataset.kinds.split(" ").includes(kind.value);
        if (field) field.hidden = !show;
      });
    };
    kind.addEventListener("change", update);
    update();
  });
});
