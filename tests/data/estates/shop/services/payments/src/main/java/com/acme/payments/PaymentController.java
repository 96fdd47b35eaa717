package com.acme.payments;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class PaymentController {
  @GetMapping("/payments/{id}")
  public String get(@PathVariable String id) {
    return id;
  }

  @PostMapping(value = "/payments")
  public String create() {
    return "created";
  }
}
