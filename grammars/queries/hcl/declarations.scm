; Terraform-style blocks are named by their last label: resource "aws_s3_bucket" "logs" -> logs;
; blocks without labels (locals, terraform) by their type.
(block (identifier) (string_lit (template_literal) @name) . (block_start)) @definition.block
(block (identifier) @name . (block_start)) @definition.block
